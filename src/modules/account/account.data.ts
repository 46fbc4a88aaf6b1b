/** What the account module holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId } from '../../kernel/subject-data.ts';

const L = {
  created: labels('创建时间', 'Created', 'Vytvořeno'),
};

export const accountData = declareSubjectData(import.meta.url, {
  citizen_account: {
    what: 'A person’s account: password hash, assurance level, lock-out state',
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('账号', 'Account', 'Účet'),
    columns: {
      state: { category: 'account_security', label: labels('账户状态', 'Account state', 'Stav účtu') },
      subject_id: subjectId('person'),
      password_hash: { category: 'account_security' },
      assurance_level: {
        category: 'identity',
        label: labels('实名等级', 'Assurance level', 'Úroveň ověření'),
      },
      failed_logins: {
        category: 'account_security',
        label: labels('连续密码错误', 'Wrong passwords in a row', 'Chybná hesla po sobě'),
      },
      locked_until: { category: 'account_security', label: labels('锁定至', 'Locked until', 'Zamčeno do') },
      password_renewal_required_at: {
        category: 'account_security',
        label: labels('须设置新密码（自）', 'New password required since', 'Nové heslo vyžadováno od'),
      },
      created_at: { category: 'identity', label: L.created },
    },
  },
});

/** What the staff module holds about a staff member (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId } from '../../kernel/subject-data.ts';

export const staffData = declareSubjectData(import.meta.url, {
  staff_account: {
    what: 'A staff member’s account: name, work e-mail, role, password hash, lock-out counters',
    retention: { keep: 'staff-accountability' },
    // The row stays for the audit entries and decisions naming it; what identifies them goes.
    erase: { blank: ['display_name', 'email', 'password_hash'] },
    export: labels('工作人员账号', 'Staff account', 'Účet pracovníka'),
    columns: {
      id: subjectId('staff'),
      display_name: { category: 'identity', label: labels('姓名', 'Name', 'Jméno') },
      email: { category: 'contact', label: labels('电子邮箱', 'E-mail', 'E-mail') },
      role: { category: 'employment', label: labels('角色', 'Role', 'Role') },
      password_hash: { category: 'account_security' },
      failed_logins: { category: 'account_security' },
      last_failed_at: { category: 'account_security' },
      created_at: { category: 'employment', label: labels('创建时间', 'Created', 'Vytvořeno') },
      disabled_at: { category: 'employment', label: labels('停用时间', 'Disabled', 'Zablokováno') },
    },
  },
  staff_session: {
    what: 'A staff member’s console session (token hash, stage of the sign-in, times)',
    retention: [
      { days: 180, after: 'expired', at: 'expires_at' },
      { days: 180, after: 'ended', at: 'revoked_at' },
    ],
    erase: { delete: 'rows' },
    export: labels('工作人员会话', 'Staff sessions', 'Relace pracovníka'),
    columns: {
      token_hash: { category: 'account_security' },
      staff_id: subjectId('staff'),
      stage: { category: 'session', label: labels('阶段', 'Stage', 'Fáze') },
      attempts: { category: 'account_security' },
      created_at: { category: 'session', label: labels('开始时间', 'Started', 'Zahájeno') },
      last_seen_at: { category: 'session', label: labels('最近使用', 'Last used', 'Naposledy použito') },
      expires_at: { category: 'session', label: labels('到期时间', 'Expires', 'Vyprší') },
      revoked_at: { category: 'session', label: labels('结束时间', 'Ended', 'Ukončeno') },
    },
  },
  staff_totp: {
    what: 'A staff member’s authenticator-app secret, sealed, and the last step used',
    retention: { days: 0, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('工作人员验证器', 'Staff authenticator app', 'Ověřovací aplikace pracovníka'),
    columns: {
      staff_id: subjectId('staff'),
      key_id: { category: 'account_security' },
      secret_sealed: { category: 'account_security' },
      last_step: { category: 'account_security' },
      created_at: { category: 'account_security', label: labels('添加时间', 'Added', 'Přidáno') },
      confirmed_at: { category: 'account_security', label: labels('确认时间', 'Confirmed', 'Potvrzeno') },
    },
  },
});

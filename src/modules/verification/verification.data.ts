/** What verification holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const verificationData = declareSubjectData(import.meta.url, {
  verification_attempt: {
    what: 'A real-name verification attempt: method, level sought, state, outcome, the staff member who recorded it',
    // inventory retentionRules['verification-attempt']: 90 days after the decision.
    retention: [
      { days: 90, after: 'decided', at: 'updated_at' },
      { days: 90, after: 'expired', at: 'expires_at' },
    ],
    erase: { delete: 'rows' },
    export: labels('实名核验记录', 'Real-name verifications', 'Ověření totožnosti'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      method: { category: 'verification_record', label: labels('方式', 'Method', 'Způsob') },
      level: { category: 'verification_record', label: labels('等级', 'Level', 'Úroveň') },
      state: { category: 'verification_record', label: labels('状态', 'State', 'Stav') },
      outcome: { category: 'verification_record', label: labels('结果', 'Outcome', 'Výsledek') },
      document_kind: { category: 'verification_record', label: labels('证件类型', 'Document', 'Doklad') },
      image_kept: {
        category: 'verification_record',
        label: labels('保留图像', 'Image kept', 'Snímek uchován'),
      },
      staff_id: subjectId('staff'),
      created_at: { category: 'verification_record', label: labels('开始时间', 'Started', 'Zahájeno') },
      updated_at: { category: 'verification_record', label: labels('更新时间', 'Updated', 'Změněno') },
      expires_at: { category: 'verification_record' },
    },
  },
});

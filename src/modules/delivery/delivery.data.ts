/** What delivery holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const deliveryData = declareSubjectData(import.meta.url, {
  delivery_request: {
    what: 'A delivery by post chosen for one application; the contact itself is in the vault in its compartment',
    // P2.4, P6.2 (delivery.ts): 30 days after the department closes it, at the latest 180 after given.
    retention: [
      { days: 30, after: 'closed', at: 'closed_at' },
      { days: 180, after: 'given', at: 'given_at' },
    ],
    erase: { delete: 'rows' },
    export: labels('邮寄办理结果', 'Deliveries by post', 'Doručení poštou'),
    columns: {
      state: { category: 'application', label: labels('状态', 'State', 'Stav') },
      id: technical,
      subject_id: subjectId('person'),
      client_id: { category: 'application', label: labels('服务', 'Service', 'Služba') },
      application_ref: { category: 'application', label: labels('申请编号', 'Application', 'Žádost') },
      given_at: { category: 'application', label: labels('提交时间', 'Given', 'Zadáno') },
      released_at: {
        category: 'application',
        label: labels('提供给部门', 'Released to the department', 'Předáno úřadu'),
      },
      closed_at: { category: 'application', label: labels('办结时间', 'Closed', 'Uzavřeno') },
      delete_after: { category: 'application', label: labels('删除时间', 'Deleted after', 'Smazáno po') },
      erased_at: { category: 'application', label: labels('已删除', 'Erased', 'Smazáno') },
      erased_by: { category: 'application', label: labels('删除方', 'Erased by', 'Smazal') },
    },
  },
});

/** What the closure module holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const closureData = declareSubjectData(import.meta.url, {
  account_closure: {
    what: 'A request to close an account: channel, cooling-off end, deadline, when it was undone or closed',
    // Identifiers and dates only once closed: the proof that the closure was done as asked.
    retention: [
      { days: 1095, after: 'closed', at: 'closed_at' },
      { days: 1095, after: 'closed', at: 'undone_at' },
    ],
    erase: { blank: ['ticket_ref'] },
    export: labels('注销账号申请', 'Account closure', 'Zrušení účtu'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      state: { category: 'rights_request', label: labels('状态', 'State', 'Stav') },
      channel: { category: 'rights_request', label: labels('渠道', 'Channel', 'Kanál') },
      recorded_by: subjectId('staff'),
      ticket_ref: { category: 'rights_request', label: labels('工单号', 'Ticket', 'Číslo požadavku') },
      locale: technical,
      requested_at: { category: 'rights_request', label: labels('申请时间', 'Asked on', 'Požádáno') },
      closes_at: {
        category: 'rights_request',
        label: labels('冷静期结束', 'Cooling-off ends', 'Konec lhůty na rozmyšlenou'),
      },
      due_at: { category: 'rights_request', label: labels('办理期限', 'Due by', 'Lhůta') },
      undone_at: { category: 'rights_request', label: labels('撤销时间', 'Undone on', 'Vzato zpět') },
      closed_at: { category: 'rights_request', label: labels('注销时间', 'Closed on', 'Zrušeno') },
      services_told: technical,
      rows_erased: technical,
      // The categories a legal hold kept from the erasure, until none does (P6.2.hold).
      held_categories: technical,
    },
  },
});

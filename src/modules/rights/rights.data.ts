/** What the rights module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const rightsData = declareSubjectData(import.meta.url, {
  rights_request: {
    what: 'One request by the person to exercise a right over their data: kind, what they wrote, deadline, identity check, decision',
    // The proof the request was answered in time: three years after it was decided or withdrawn.
    retention: { days: 1095, after: 'decided', at: 'closed_at' },
    // The record stays (rights-record); what the person and the DPO wrote is blanked.
    erase: { blank: ['details', 'decision_note'] },
    export: labels('我的权利请求', 'My rights requests', 'Moje žádosti o uplatnění práv'),
    columns: {
      id: { category: 'technical', label: labels('编号', 'Number', 'Číslo') },
      subject_id: subjectId('person'),
      kind: { category: 'rights_request', label: labels('类型', 'Kind', 'Druh') },
      categories: {
        category: 'rights_request',
        label: labels('涉及的信息', 'Data concerned', 'Dotčené údaje'),
      },
      details: { category: 'rights_request', label: labels('请求内容', 'What I asked', 'Co jsem žádal(a)') },
      channel: { category: 'rights_request', label: labels('提交方式', 'Made through', 'Podáno') },
      locale: { category: 'rights_request', label: labels('语言', 'Language', 'Jazyk') },
      recorded_by: { category: 'technical', subject: 'staff' },
      ticket_ref: { category: 'rights_request', label: labels('工单号', 'Ticket', 'Tiket') },
      state: { category: 'rights_request', label: labels('状态', 'State', 'Stav') },
      submitted_at: { category: 'rights_request', label: labels('提交时间', 'Submitted', 'Podáno dne') },
      due_at: { category: 'rights_request', label: labels('办理期限', 'Due by', 'Lhůta do') },
      deadline_days: technical,
      deadline_unit: technical,
      deadline_provisional: technical,
      identity_confirmed_at: {
        category: 'rights_request',
        label: labels('身份核验时间', 'Identity confirmed', 'Totožnost ověřena'),
      },
      identity_method: {
        category: 'rights_request',
        label: labels('身份核验方式', 'Identity confirmed by', 'Způsob ověření totožnosti'),
      },
      identity_by: { category: 'technical', subject: 'staff' },
      decided_at: { category: 'rights_request', label: labels('办结时间', 'Decided', 'Rozhodnuto') },
      refusal_reason: {
        category: 'rights_request',
        label: labels('拒绝理由', 'Reason for refusal', 'Důvod zamítnutí'),
      },
      exemption: { category: 'rights_request', label: labels('依据的例外', 'Exemption', 'Výjimka') },
      decision_note: {
        category: 'rights_request',
        label: labels('办理说明', 'Explanation', 'Vysvětlení'),
      },
      decided_by: { category: 'technical', subject: 'staff' },
      withdrawn_at: { category: 'rights_request', label: labels('撤回时间', 'Withdrawn', 'Vzato zpět') },
      closed_at: technical,
      reminded_at: technical,
      escalated_at: technical,
    },
  },
  rights_request_event: {
    what: 'One step in the history of a rights request, with what the person or the DPO wrote at that step',
    retention: { days: 1095, after: 'given', at: 'at' },
    erase: { delete: 'rows' },
    export: labels('权利请求的办理经过', 'History of my rights requests', 'Průběh mých žádostí'),
    columns: {
      id: technical,
      request_id: { category: 'technical', label: labels('请求编号', 'Request', 'Žádost') },
      subject_id: subjectId('person'),
      at: { category: 'rights_request', label: labels('时间', 'When', 'Kdy') },
      event: { category: 'rights_request', label: labels('事项', 'Step', 'Krok') },
      actor_type: { category: 'rights_request', label: labels('办理方', 'By', 'Kdo') },
      actor_id: { category: 'technical', subject: ['person', 'staff'] },
      note: { category: 'rights_request', label: labels('说明', 'Note', 'Poznámka') },
    },
  },
});

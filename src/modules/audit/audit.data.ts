/** What the audit chain holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const auditData = declareSubjectData(import.meta.url, {
  audit_entry: {
    what: 'One entry of the tamper-evident audit chain: who did what to whom, why; details are identifiers and codes',
    // Three years, as the access log (PIPL art. 56): whole months go once the chain
    // verifies, leaving a signed archive record to verify the rest from (ADR 0044). Never
    // erased with an account: the trail of what was done is the platform's accountability.
    retention: { days: 1095, after: 'given', at: 'occurred_at' },
    erase: { keep: 'audit-chain' },
    export: labels('与我有关的操作记录', 'Actions recorded about me', 'Zaznamenané úkony týkající se mě'),
    columns: {
      id: technical,
      lane: technical,
      seq: technical,
      chain: technical,
      content_hash: technical,
      hash: technical,
      occurred_at: { category: 'access_record', label: labels('时间', 'When', 'Kdy') },
      actor_type: { category: 'access_record', label: labels('操作方类型', 'Done by (kind)', 'Kdo (druh)') },
      actor_id: { category: 'access_record', subject: ['person', 'staff'] },
      action: { category: 'access_record', label: labels('操作', 'Action', 'Úkon') },
      subject_type: { category: 'access_record' },
      subject_id: subjectId(['person', 'organisation', 'staff']),
      purpose: { category: 'access_record', label: labels('目的', 'Purpose', 'Účel') },
      legal_basis: { category: 'access_record', label: labels('依据', 'Basis', 'Právní základ') },
      clause: { category: 'access_record', label: labels('政策条款', 'Policy clause', 'Článek zásad') },
      detail: { category: 'access_record', label: labels('详情', 'Detail', 'Podrobnosti') },
      request_id: technical,
    },
  },
  audit_lane: { none: 'the head hash and sequence of each lane of the chain' },
  audit_checkpoint: { none: 'signed checkpoints over the lanes’ heads (hashes, signatures, key ids)' },
  audit_archive: {
    none: 'signed records of dropped months: where each lane stood (hashes, counts, key ids)',
  },
});

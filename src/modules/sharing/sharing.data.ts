/** What the sharing module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const sharingData = declareSubjectData(import.meta.url, {
  partner: {
    none: 'the registry of partners (name, agreement, allowed fields and purposes): organisations only',
  },
  notice: {
    what: 'A notice owed to the person about a disclosure (recipient, authority, reference, fields)',
    retention: { days: 180, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: labels('通知', 'Notices', 'Oznámení'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      kind: { category: 'access_record', label: labels('类型', 'Kind', 'Druh') },
      payload: { category: 'access_record', label: labels('内容', 'Content', 'Obsah') },
      created_at: { category: 'access_record', label: labels('时间', 'Created', 'Vytvořeno') },
      deliver_after: { category: 'access_record', label: labels('发送时间', 'Due', 'Odeslat po') },
      delivered_at: { category: 'access_record', label: labels('已发送', 'Delivered', 'Doručeno') },
    },
  },
});

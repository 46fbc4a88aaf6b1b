/**
 * What the incident audience holds about a subject (kernel/subject-data.ts; gathered by the
 * inventory): that the person was in an incident's frozen set (incident.audience.ts writes
 * and reads it; the incident record refers to it by incident id).
 */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const incidentData = declareSubjectData(import.meta.url, {
  incident_affected: {
    what: 'That the person was among the people a security incident affected (its frozen set), and when the set was frozen',
    // Kept with the incident record it belongs to (three years, the record's own period).
    retention: { days: 1095, after: 'given', at: 'frozen_at' },
    erase: { delete: 'rows' },
    export: labels(
      '涉及我的安全事件',
      'Security incidents that concerned me',
      'Bezpečnostní incidenty, které se mě týkaly',
    ),
    columns: {
      incident_id: technical,
      subject_id: subjectId('person'),
      frozen_at: { category: 'usage', label: labels('确定时间', 'Determined', 'Určeno') },
    },
  },
});

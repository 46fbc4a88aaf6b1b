/**
 * What the incident audience holds about a subject (kernel/subject-data.ts; gathered by the
 * inventory): that the person was in an incident's frozen set (incident.audience.ts writes
 * and reads it; the incident record's tables hold no one's data and are declared as such).
 */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const incidentData = declareSubjectData(import.meta.url, {
  incident: {
    none: 'a security incident as the officer records it (what happened, systems, data categories, counts, dates): about the platform and staff ids, never about one person',
  },
  incident_timeline: {
    none: 'the steps of an incident (kind, state, time, author staff id or the platform, a note): staff ids only; the people affected are in incident_affected',
  },
  incident_report: {
    none: 'the submission of an incident report to the cyberspace authority (channel, receipt reference, staff id, time)',
  },
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

/** What the retention module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, subjectId, technical } from '../../kernel/subject-data.ts';

export const retentionData = declareSubjectData(import.meta.url, {
  legal_hold: {
    what: 'A legal hold: on whom or which categories, on which basis, under which authority and document, until when; who recorded and who ended it',
    // The record of why data was kept: three years after the hold ended, like a decided request.
    retention: { days: 1095, after: 'ended', at: 'ended_at' },
    erase: { keep: 'legal-hold' },
    export: { none: 'legal-restriction' },
    columns: {
      id: technical,
      state: technical,
      scope: technical,
      categories: technical,
      basis: technical,
      reason: { category: 'access_record' },
      authority: { category: 'access_record' },
      document_ref: { category: 'access_record' },
      case_ref: { category: 'access_record' },
      created_by: subjectId('staff'),
      created_at: technical,
      ends_at: technical,
      review_at: technical,
      ended_at: technical,
      ended_by: subjectId('staff'),
      end_note: { category: 'access_record' },
    },
  },
  legal_hold_subject: {
    what: 'A person a legal hold covers',
    retention: { days: 1095, after: 'given', at: 'added_at' },
    erase: { keep: 'legal-hold' },
    export: { none: 'legal-restriction' },
    columns: {
      hold_id: technical,
      subject_id: subjectId('person'),
      added_at: technical,
    },
  },
});

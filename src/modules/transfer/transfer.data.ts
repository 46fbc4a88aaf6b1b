/** What the transfer module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const transferData = declareSubjectData(import.meta.url, {
  transfer_campaign: {
    none: 'a planned bulk transfer (receiving organisation, reason, categories, scope, dates): organisations and staff ids only, never about one person',
  },
  transfer_campaign_person: {
    what: 'That a bulk transfer concerns the person (they were told of it), and their objection if they objected',
    // Kept as long as the proof that the person was told before their data moved must be.
    retention: { days: 1095, after: 'given', at: 'added_at' },
    erase: { delete: 'rows' },
    export: labels(
      '数据转移告知',
      'Transfers of my data I was told of',
      'Předání mých údajů, o kterých jsem byl informován',
    ),
    columns: {
      campaign_id: technical,
      subject_id: subjectId('person'),
      added_at: { category: 'usage', label: labels('告知时间', 'Told', 'Informováno') },
      objected_at: { category: 'usage', label: labels('异议时间', 'Objected', 'Námitka') },
    },
  },
});

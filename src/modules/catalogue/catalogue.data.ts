/** What the catalogue holds about a subject: nothing (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const catalogueData = declareSubjectData(import.meta.url, {
  department: { none: 'the catalogue of departments (names, order)' },
  service: { none: 'the catalogue of services (names, summaries, order)' },
  relying_party: {
    none: 'registered department applications (redirect URIs, declared fields, sealed secrets)',
  },
  relying_party_policy: {
    none: 'the privacy terms URL each service declared, and from when (P1.2: its versions)',
  },
});

/** What the sharing module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const sharingData = declareSubjectData(import.meta.url, {
  partner: {
    none: 'the registry of partners (name, agreement, allowed fields and purposes): organisations only',
  },
});

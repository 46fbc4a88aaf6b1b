/** What the policy module holds about a subject: nothing (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const policyData = declareSubjectData(import.meta.url, {
  policy_document: { none: 'published policy and consent texts (id, version, language, exact text, hash)' },
  policy_rendering: {
    none: 'the exact filled-in texts shown on consent screens, once per distinct text (no person in them)',
  },
});

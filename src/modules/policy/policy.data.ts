/** What the policy module holds about a subject: nothing (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const policyData = declareSubjectData(import.meta.url, {
  policy_document: { none: 'published policy and consent texts (id, version, language, exact text, hash)' },
  policy_rendering: {
    none: 'the exact filled-in texts shown on consent screens, once per distinct text (no person in them)',
  },
  policy_version: {
    none: 'the editorial record of a policy version: draft texts, what changed, effective date, staff ids',
  },
  policy_acceptance: {
    what: 'That the person acknowledged a version of the privacy policy, and when (P9.accept)',
    // The proof of what a person was told outlives the account as a consent's does.
    retention: { days: 1095, after: 'account-closed' },
    erase: { keep: 'consent-evidence' },
    export: labels(
      '我确认过的隐私政策版本',
      'Privacy policy versions I acknowledged',
      'Verze zásad, které jsem potvrdil(a)',
    ),
    columns: {
      subject_id: subjectId('person'),
      document_id: technical,
      version: { category: 'consent_record', label: labels('版本', 'Version', 'Verze') },
      accepted_at: { category: 'consent_record', label: labels('确认时间', 'Acknowledged', 'Potvrzeno') },
      how: { category: 'consent_record', label: labels('方式', 'How', 'Jak') },
    },
  },
});

/** What the consent module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

const THREE_YEARS = 365 * 3;

export const consentData = declareSubjectData(import.meta.url, {
  consent: {
    what: 'A consent the person gave (purpose, categories, recipient, policy version, hash of the text shown)',
    // The proof of a consent outlives it: three years after it ends, however it ends.
    retention: [
      { days: THREE_YEARS, after: 'withdrawn', at: 'withdrawn_at' },
      { days: THREE_YEARS, after: 'expired', at: 'expires_at' },
      { days: THREE_YEARS, after: 'account-closed' },
    ],
    erase: { keep: 'consent-evidence' },
    export: labels('我的同意', 'My consents', 'Moje souhlasy'),
    columns: {
      state: { category: 'consent_record', label: labels('状态', 'State', 'Stav') },
      id: technical,
      subject_id: subjectId('person'),
      kind: { category: 'consent_record', label: labels('类型', 'Kind', 'Druh') },
      purpose: { category: 'consent_record', label: labels('目的', 'Purpose', 'Účel') },
      categories: { category: 'consent_record', label: labels('信息类别', 'Categories', 'Kategorie') },
      sensitive: { category: 'consent_record', label: labels('敏感个人信息', 'Sensitive', 'Citlivé') },
      recipient_type: {
        category: 'consent_record',
        label: labels('接收方类型', 'Recipient kind', 'Druh příjemce'),
      },
      recipient_id: { category: 'consent_record', label: labels('接收方', 'Recipient', 'Příjemce') },
      channel: { category: 'consent_record', label: labels('渠道', 'Channel', 'Kanál') },
      policy_version: {
        category: 'consent_record',
        label: labels('政策版本', 'Policy version', 'Verze zásad'),
      },
      text_hash: { category: 'consent_record', label: labels('文本摘要', 'Text hash', 'Otisk textu') },
      document_id: { category: 'consent_record', label: labels('文本', 'Text', 'Text') },
      document_version: {
        category: 'consent_record',
        label: labels('文本版本', 'Text version', 'Verze textu'),
      },
      document_language: {
        category: 'consent_record',
        label: labels('文本语言', 'Text language', 'Jazyk textu'),
      },
      given_at: { category: 'consent_record', label: labels('同意时间', 'Given', 'Uděleno') },
      expires_at: { category: 'consent_record', label: labels('到期时间', 'Expires', 'Platí do') },
      withdrawn_at: { category: 'consent_record', label: labels('撤回时间', 'Withdrawn', 'Odvoláno') },
    },
  },
});

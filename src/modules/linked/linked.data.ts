/** What the linked-accounts module holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const linkedData = declareSubjectData(import.meta.url, {
  linked_account: {
    what: 'A link between the account and an upstream identity: the provider and a keyed hash of its subject',
    retention: { days: 0, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('关联账号', 'Linked accounts', 'Propojené účty'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      provider: { category: 'linked_account', label: labels('提供方', 'Provider', 'Poskytovatel') },
      sub_hash: { category: 'linked_account' },
      linked_at: { category: 'linked_account', label: labels('关联时间', 'Linked', 'Propojeno') },
    },
  },
  linked_flow: {
    what: 'An upstream sign-in or link in flight (hashed state, nonce, PKCE verifier), for ten minutes',
    retention: { days: 0, after: 'expired', at: 'expires_at' },
    erase: { delete: 'rows' },
    export: { none: 'transient' },
    columns: {
      state: { category: 'linked_account' },
      state_hash: { category: 'account_security' },
      provider: { category: 'linked_account' },
      mode: { category: 'linked_account' },
      subject_id: subjectId('person'),
      nonce: { category: 'account_security' },
      verifier: { category: 'account_security' },
      next: technical,
      expires_at: { category: 'account_security' },
    },
  },
});

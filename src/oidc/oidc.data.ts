/** What the OpenID provider holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId } from '../kernel/subject-data.ts';

export const oidcData = declareSubjectData(import.meta.url, {
  oidc_model: {
    what: 'oidc-provider’s sessions, interactions, codes, tokens and grants; the payload carries the account id',
    // The adapter deletes expired rows (adapter.ts); ending a portal session takes its grants.
    retention: { days: 0, after: 'expired', at: 'expires_at' },
    erase: { delete: 'rows' },
    export: labels('授权登录的服务', 'Services signed in to', 'Služby, do kterých jsem přihlášen'),
    columns: {
      kind: { category: 'session', label: labels('类型', 'Kind', 'Druh') },
      id: { category: 'account_security' },
      payload: {
        category: 'session',
        subject: 'person',
        holds: { json: 'accountId' },
        label: labels('内容', 'Content', 'Obsah'),
      },
      grant_id: { category: 'session' },
      uid: { category: 'session' },
      user_code: { category: 'account_security' },
      expires_at: { category: 'session', label: labels('到期时间', 'Expires', 'Vyprší') },
      consumed_at: { category: 'session' },
    },
  },
  oidc_signing_key: { none: 'the provider’s token signing keys, sealed' },
  oidc_acting: {
    what: 'Whom the person acts for under one grant to a department service (a company, or themself)',
    // Swept once the grant is gone (acting.ts); a grant lives at most as long as its session.
    retention: { days: 0, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('代办身份', 'Acting for a company at a service', 'Jednání za firmu u služby'),
    columns: {
      grant_id: { category: 'authorisation' },
      subject_id: subjectId('person'),
      company_id: subjectId('organisation'),
      chosen_at: { category: 'authorisation', label: labels('选择时间', 'Chosen', 'Zvoleno') },
    },
  },
  oidc_declined_field: {
    what: 'An optional field the person declined to share with a service, so it is not asked at every sign-in',
    // Asked again after the consent period (consent-screen.ts CONSENT_DAYS = 365).
    retention: { days: 365, after: 'given', at: 'declined_at' },
    erase: { delete: 'rows' },
    export: labels('拒绝提供的项目', 'Items I declined to share', 'Položky, které jsem odmítl sdílet'),
    columns: {
      subject_id: subjectId('person'),
      client_id: { category: 'consent_record', label: labels('服务', 'Service', 'Služba') },
      field: { category: 'consent_record', label: labels('项目', 'Item', 'Položka') },
      declined_at: { category: 'consent_record', label: labels('拒绝时间', 'Declined', 'Odmítnuto') },
    },
  },
});

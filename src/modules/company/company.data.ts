/** What the company module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

const YEAR = 365;

export const companyData = declareSubjectData(import.meta.url, {
  company: {
    what: 'A company bound to the platform: its registry name and status, and its legal representative',
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('企业', 'Companies', 'Firmy'),
    columns: {
      subject_id: subjectId('organisation'),
      name: { category: 'business', label: labels('企业名称', 'Company name', 'Název firmy') },
      registry_status: {
        category: 'business',
        label: labels('登记状态', 'Registry status', 'Stav v rejstříku'),
      },
      representative_id: subjectId('person'),
      bound_at: { category: 'business', label: labels('绑定时间', 'Bound', 'Připojeno') },
    },
  },
  company_agent: {
    what: 'An authorisation of a person to act for a company (powers, validity); the agent’s phone masked',
    // Kept a year after it ends, to answer for what was done under it.
    retention: [
      { days: YEAR, after: 'ended', at: 'revoked_at' },
      { days: YEAR, after: 'expired', at: 'valid_until' },
    ],
    // The agent's authorisations go; one they granted to someone else as representative stays.
    erase: { delete: 'rows', by: ['agent_id'] },
    export: labels('企业授权', 'Authorisations to act for a company', 'Oprávnění jednat za firmu'),
    columns: {
      state: { category: 'authorisation', label: labels('状态', 'State', 'Stav') },
      id: technical,
      company_id: subjectId('organisation'),
      agent_id: subjectId('person'),
      agent_label: {
        category: 'contact',
        label: labels('被授权人（手机号）', 'Agent (mobile)', 'Zmocněnec (mobil)'),
      },
      scopes: { category: 'authorisation', label: labels('权限', 'Powers', 'Oprávnění') },
      valid_until: { category: 'authorisation', label: labels('有效期至', 'Valid until', 'Platí do') },
      granted_by: subjectId('person'),
      granted_at: { category: 'authorisation', label: labels('授权时间', 'Granted', 'Uděleno') },
      revoked_at: { category: 'authorisation', label: labels('撤销时间', 'Revoked', 'Odvoláno') },
    },
  },
  company_acting: {
    what: 'Whom a portal session acts for (the company chosen); goes with the session',
    // A session lasts 12 hours at most (identity/sessions.ts): a day covers every live one.
    retention: { days: 1, after: 'given', at: 'chosen_at' },
    erase: { delete: 'rows' },
    export: { none: 'transient' },
    columns: {
      session_id: { category: 'authorisation' },
      company_id: subjectId('organisation'),
      chosen_at: { category: 'authorisation' },
    },
  },
});

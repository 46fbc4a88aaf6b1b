/**
 * What an agent may be authorised to do for a company: its powers. The legal
 * representative holds every power; an agent holds the powers granted, until the end date,
 * checked at each use. (The JSON API's field, the form field, the audit detail and the
 * `company_agent.scopes` column keep the older word `scopes`, mapped at those edges only;
 * OAuth scopes are another thing.)
 *
 *   power            allows
 *   view-only        seeing the company and acting for it where nothing changes
 *   tax              tax services for the company
 *   social-security  social-security services for the company's staff
 *   housing-fund     housing-provident-fund services for the company's staff
 *   manage-agents    authorising and revoking other agents
 *
 * Any live authorisation allows viewing the company; `view-only` exists so that a grant
 * can carry nothing more.
 */
export const POWERS = ['view-only', 'tax', 'social-security', 'housing-fund', 'manage-agents'] as const;
export type Power = (typeof POWERS)[number];
export const isPower = (s: string): s is Power => (POWERS as readonly string[]).includes(s);

/**
 * The power an agent needs to act for a company at a department's services (single
 * sign-on, claim `acting_for`). Departments not listed serve people only.
 */
const departmentPowers: Partial<Record<string, Power>> = {
  tax: 'tax',
  'social-security': 'social-security',
  'housing-fund': 'housing-fund',
};
export const powerForDepartment = (departmentSlug: string): Power | undefined =>
  departmentPowers[departmentSlug];

/** Whom a request acts for: the person themself, or a company they represent or are an agent of. */
export interface Acting {
  subjectId: string;
  onBehalfOf?: { companyId: string; name: string; role: 'representative' | 'agent' };
  /** Powers held for `onBehalfOf`; empty when acting for oneself (the JSON API calls them `scopes`). */
  powers: Power[];
}

/** Audit `detail` fragment other modules add to entries written while acting for a company. */
export const onBehalfOfDetail = (a: Acting): { onBehalfOf?: string; actingAs?: string } =>
  a.onBehalfOf ? { onBehalfOf: a.onBehalfOf.companyId, actingAs: a.onBehalfOf.role } : {};

/**
 * What an agent may be authorised to do for a company. The legal representative holds
 * every scope; an agent holds the scopes granted, until the end date, checked at each use.
 *
 *   scope            allows
 *   view-only        seeing the company and acting for it where nothing changes
 *   tax              tax services for the company
 *   social-security  social-security services for the company's staff
 *   housing-fund     housing-provident-fund services for the company's staff
 *   manage-agents    authorising and revoking other agents
 *
 * Any live authorisation allows viewing the company; `view-only` exists so that a grant
 * can carry nothing more.
 */
export const SCOPES = ['view-only', 'tax', 'social-security', 'housing-fund', 'manage-agents'] as const;
export type Scope = (typeof SCOPES)[number];
export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/**
 * The scope an agent needs to act for a company at a department's services (single
 * sign-on, claim `acting_for`). Departments not listed serve people only.
 */
const departmentScopes: Partial<Record<string, Scope>> = {
  tax: 'tax',
  'social-security': 'social-security',
  'housing-fund': 'housing-fund',
};
export const scopeForDepartment = (departmentSlug: string): Scope | undefined =>
  departmentScopes[departmentSlug];

/** Whom a request acts for: the person themself, or a company they represent or are an agent of. */
export interface Acting {
  subjectId: string;
  onBehalfOf?: { companyId: string; name: string; role: 'representative' | 'agent' };
  /** Scopes held for `onBehalfOf`; empty when acting for oneself. */
  scopes: Scope[];
}

/** Audit `detail` fragment other modules add to entries written while acting for a company. */
export const onBehalfOfDetail = (a: Acting): { onBehalfOf?: string; actingAs?: string } =>
  a.onBehalfOf ? { onBehalfOf: a.onBehalfOf.companyId, actingAs: a.onBehalfOf.role } : {};

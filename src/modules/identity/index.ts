export {
  createCitizenSessions,
  citizenAuth,
  citizenCookieName,
  SESSION_HOURS,
  type CitizenSessions,
} from './sessions.ts';
export { createIdentityService, type IdentityService, type Registration } from './identity.service.ts';
export { identityErrors } from './identity.errors.ts';
export { checkIdNumber, checkCreditCode } from './id-numbers.ts';
export { deviceLabel } from './device.ts';
export type { SessionView } from './sessions.ts';
export {
  createAccountSupport,
  type AccountSupport,
  type AccountSummary,
  type LookupQuery,
} from './account-support.ts';
export { assuranceLevel, setAssuranceLevel, type AssuranceLevel, type AssuranceChange } from './assurance.ts';
export { accountState, changeAccountState } from './account-state.ts';
export { accountLifecycle, type AccountState, type AccountEvent } from './account.lifecycle.ts';
export { CHALLENGE_MINUTES } from './sign-in.ts';
export { deviceCookieName, deviceIdOf } from './device-cookie.ts';
export type { RelyingParty } from './passkeys.ts';
export type { SignInContext, SignInResult } from './sign-in.ts';
export { riskReasons, secondStepMethods, type RiskReason, type SecondStepMethod } from './risk.ts';
export type { AlertView } from './alerts.ts';
export type { FactorOverview } from './factors.ts';
export type { ChangeContext } from './reauth.ts';
export { sweepExpiredSignIns } from './sweep.ts';
export { noProviderSessions, type ProviderSessions, type ProviderSessionEnd } from './provider-sessions.ts';
export type { PortalSession } from './sessions.ts';
export { provedStrongly } from './amr.ts';
export { identityData } from './identity.data.ts';

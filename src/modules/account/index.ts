export { checkIdNumber, idCheckCharacter, type IdNumberProblem } from './id-numbers.ts';
export { assuranceLevel, setAssuranceLevel, type AssuranceLevel, type AssuranceChange } from './assurance.ts';
export { accountState, changeAccountState } from './account-state.ts';
export { accountLifecycle, type AccountState, type AccountEvent } from './account.lifecycle.ts';
export { accountErrors } from './account.errors.ts';
export { accountData } from './account.data.ts';
export {
  credentials,
  credentialsRow,
  passwordHash,
  insertAccount,
  setFailedLogins,
  setPasswordHash,
  resetPassword,
  requirePasswordRenewal,
  clearFailures,
  overview,
  existingAccounts,
  openAccountsAfter,
  openedAt,
  type AccountCredentials,
  type AccountOverview,
} from './account.repository.ts';
export {
  foldWidth,
  normaliseMobile,
  normaliseDigits,
  parseIdNumber,
  parseLegalName,
  type IdNumberReason,
  type NameReason,
} from './input.ts';

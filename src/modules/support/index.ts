export {
  createAccountSupport,
  type AccountSupport,
  type AccountSummary,
  type LookupQuery,
} from './account-support.ts';
export { supportErrors } from './support.errors.ts';
export { supportData } from './support.data.ts';

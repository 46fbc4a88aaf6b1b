export {
  createCompanyService,
  type CompanyService,
  type CompanyView,
  type AgentView,
} from './company.service.ts';
export { companyErrors } from './company.errors.ts';
export {
  SCOPES,
  isScope,
  onBehalfOfDetail,
  scopeForDepartment,
  type Scope,
  type Acting,
} from './company.scopes.ts';
export { companyData } from './company.data.ts';
export { checkCreditCode, type CreditCodeProblem } from './credit-code.ts';

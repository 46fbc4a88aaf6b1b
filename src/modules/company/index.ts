export {
  createCompanyService,
  type CompanyService,
  type CompanyView,
  type AgentView,
} from './company.service.ts';
export { companyErrors } from './company.errors.ts';
export {
  POWERS,
  isPower,
  onBehalfOfDetail,
  powerForDepartment,
  type Power,
  type Acting,
} from './company.powers.ts';
export { companyData } from './company.data.ts';
export { checkCreditCode, type CreditCodeProblem } from './credit-code.ts';

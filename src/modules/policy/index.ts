export {
  createPolicyService,
  documentIds,
  hashOf,
  partsOf,
  refOf,
  type DocumentRef,
  type PolicyDocument,
  type PolicyService,
  type ShownText,
} from './policy.service.ts';
export { policyErrors } from './policy.errors.ts';
export { policyData } from './policy.data.ts';

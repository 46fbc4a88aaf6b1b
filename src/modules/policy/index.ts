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
export { policyVersionLifecycle, type PolicyVersionState } from './policy.lifecycle.ts';
export {
  createPolicyVersions,
  NOTICE_JOB,
  type NoticeJob,
  type MaterialChange,
  type PendingChange,
  type PolicyVersions,
  type VersionInput,
  type VersionRecord,
} from './policy.versions.ts';
export { publishBundled, bundledVersions } from './policy.bundled.ts';
export {
  parsePolicyText,
  POLICY_SECTIONS,
  FACTS,
  type PolicyText,
  type Fact,
  type Block,
} from './policy.text.ts';

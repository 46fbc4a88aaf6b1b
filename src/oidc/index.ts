export {
  createProvider,
  pairwiseSubject,
  ACR,
  TTL,
  DEPARTMENT_API_SCOPE,
  type OidcDeps,
} from './provider.ts';
export { departmentCaller, type DepartmentCaller } from './department-api.ts';
export { mountProvider, OIDC_PREFIX, type ProviderHolder } from './mount.ts';
export { sweepExpired } from './adapter.ts';
export { rotateSigningKey, loadSigningKeys, keysVersion } from './keys.ts';
export { ContinuePage } from '../web/oidc/consent/view.tsx';
export { providerSessionEnds } from './session-ends.ts';
export { oidcData } from './oidc.data.ts';

export { createProvider, ACR, TTL, DEPARTMENT_API_SCOPE, type OidcDeps } from './provider.ts';
export { mountProvider, OIDC_PREFIX, type ProviderHolder } from './mount.ts';
export { registerInteractionRoutes } from './interactions.routes.ts';
export { sweepExpired } from './adapter.ts';
export { rotateSigningKey, loadSigningKeys } from './keys.ts';

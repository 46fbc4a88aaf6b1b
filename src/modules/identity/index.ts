// What is left of the former identity module: its HTTP files, on their way to src/web/api/.
export { registerIdentityRoutes } from './identity.routes.ts';
export { registerAccountSupportRoutes } from './account-support.routes.ts';
export { applySignIn, signInContext, stepCookieName, relyingParty } from './sign-in.http.ts';
export { identityData } from './identity.data.ts';

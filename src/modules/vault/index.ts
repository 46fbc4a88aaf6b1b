export {
  createVaultService,
  normalise,
  type VaultService,
  type Source,
  type DisclosureOptions,
} from './vault.service.ts';
export {
  loadLocalKeyManager,
  addMasterKey,
  createKeyringFile,
  keyringPath,
  type KeyManager,
} from './keyring.ts';
export { vaultErrors } from './vault.errors.ts';
export type { Actor, ActorKind, Basis, ErasureReason, ReadRequest, ReadResult } from './vault.types.ts';
export type { AccessView } from './vault.access.ts';
export { registerVaultRoutes } from './vault.routes.ts';
export { vaultData } from './vault.data.ts';

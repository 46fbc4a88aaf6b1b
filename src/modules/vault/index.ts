export {
  createVaultService,
  normalise,
  type VaultService,
  type ReadOutcome,
  type Source,
  type DisclosureOptions,
  type OwnValues,
} from './vault.service.ts';
export {
  loadLocalKeyManager,
  addMasterKey,
  createKeyringFile,
  keyringPath,
  suites,
  suiteOf,
  type Suite,
  addBackupKey,
  loadBackupKeys,
  type BackupKeys,
  type KeyManager,
} from './keyring.ts';
export { vaultErrors } from './vault.errors.ts';
export { staffActor } from './vault.staff.ts';
export type {
  Actor,
  ActorKind,
  Basis,
  ErasureReason,
  OtherActor,
  ReadRequest,
  ReadResult,
  StaffActor,
} from './vault.types.ts';
export type {
  AccessView,
  AccessFilter,
  AccessQuery,
  AccessPage,
  AccessedScope,
  Recipient,
  Release,
} from './vault.access.ts';
export { vaultData } from './vault.data.ts';
export {
  createVaultPurge,
  type VaultPurge,
  type VaultPurgeOptions,
  type VaultPurgeResult,
} from './vault.purge.ts';

export {
  createAuditService,
  type AuditService,
  type AuditEntryInput,
  type ActorType,
} from './audit.service.ts';
export { verifyAuditChain, type VerifyResult, type VerifyOptions } from './audit.verify.ts';
export {
  checkpointExportPath,
  holdsExportedCheckpoint,
  readExportedCheckpoint,
  type ExportedCheckpoint,
} from './audit.export.ts';
export { loadSigningKey, writeSigningKey, signingKeyPath, type SigningKey } from './audit.signing-key.ts';
export { auditData } from './audit.data.ts';

export {
  createAuditService,
  type AuditService,
  type AuditEntryInput,
  AuditCatalogueError,
} from './audit.service.ts';
export {
  auditActions,
  auditActor,
  type ActorType,
  type AuditAction,
  type AuditActionSpec,
} from './audit.actions.ts';
export { verifyAuditChain, type VerifyResult, type VerifyOptions } from './audit.verify.ts';
export { verifyReport, type VerifyReport } from './audit.verify.report.ts';
export {
  checkpointExportPath,
  holdsExportedCheckpoint,
  readExportedCheckpoint,
  type ExportedCheckpoint,
} from './audit.export.ts';
export { loadSigningKey, writeSigningKey, signingKeyPath, type SigningKey } from './audit.signing-key.ts';
export { auditData } from './audit.data.ts';
export type { WindowScope, HistoryCursor, PersonEntry } from './audit.repository.ts';
export { createAuditArchive, type AuditArchive, type ArchiveReport } from './audit.archive.ts';
export {
  payloadVerifies,
  signPayload,
  signerOf,
  signatureAlgs,
  type SignatureAlg,
  type SignatureKeys,
  type SigningKeys,
} from './audit.signature.ts';
export { sm2KeyFromSeed, sm2PublicKey, type Sm2Key } from './audit.sm2.ts';

export {
  createAuditService,
  type AuditService,
  type AuditEntryInput,
  type ActorType,
} from './audit.service.ts';
export { verifyAuditChain, type VerifyResult } from './audit.verify.ts';
export { loadSigningKey, writeSigningKey, signingKeyPath, type SigningKey } from './audit.signing-key.ts';

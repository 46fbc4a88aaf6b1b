export {
  createVerificationService,
  documentKinds,
  MAX_IMAGE_BYTES,
  MAX_KEPT_IMAGE_BYTES,
  type VerificationService,
  type FaceSubmission,
  type DocumentKind,
} from './verification.service.ts';
export type { Attempt, Decision, Method } from './verification.attempts.ts';
export { verificationErrors } from './verification.errors.ts';
export { attemptLifecycle, next, type AttemptState, type AttemptEvent } from './verification.lifecycle.ts';
export { verificationPartners, partnerSlugs, type VerificationAdapters } from './verification.partners.ts';
export { verificationData } from './verification.data.ts';
export { createIdNumberReclaim, type IdNumberReclaim, type HeldNumber } from './verification.reclaim.ts';

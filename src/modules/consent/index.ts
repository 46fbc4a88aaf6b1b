export {
  createConsentService,
  isActive,
  counts,
  type ConsentService,
  type ConsentRecord,
  type ConsentKind,
  type GiveConsent,
} from './consent.service.ts';
export { consentErrors } from './consent.errors.ts';
export { consentData } from './consent.data.ts';
export { holdersOfLiveConsent } from './consent.repository.ts';

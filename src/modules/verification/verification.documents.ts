/** The identity documents service-hall staff check in person (in-person verification, ID-number reclaim). */
export const documentKinds = [
  'resident-id-card',
  'temporary-id-card',
  'passport',
  'hk-macao-permit',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

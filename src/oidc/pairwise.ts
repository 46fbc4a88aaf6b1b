import type { KeyManager } from '../modules/vault/index.ts';

/**
 * The `sub` a department knows a person by: a keyed hash of the person and the department,
 * so two departments cannot correlate people by `sub` (and a department's several
 * services share one). Also how department APIs name the person they answer about.
 */
export const pairwiseSubject = (keys: KeyManager, department: string, subjectId: string): string =>
  keys.blindIndex(`oidc-pairwise:${department}`, subjectId).toString('base64url');

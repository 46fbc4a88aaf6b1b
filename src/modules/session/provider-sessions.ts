/**
 * The port through which ending portal sessions reaches single sign-on (P1.1, P7.3): the
 * OpenID provider implements it (oidc/session-ends.ts); identity and verification call it.
 * Identity knows nothing of the provider's storage, only that sessions opened from a portal
 * session must end with it.
 *
 * Rules:
 * - A provider session is bound to the portal session it was opened from by the person and
 *   the sign-in time (`auth_time`), so ending portal sessions names them by those.
 * - The rows go inside the caller's transaction `q` when it passes one (the change that
 *   justifies it commits with it); the services are told by back-channel logout after the
 *   caller has committed, by calling the returned function.
 */
import type { Queryable } from '../../kernel/db/database.ts';

export interface ProviderSessionEnd {
  subjectId: string;
  /** Only the provider sessions opened from portal sessions signed in at these times; absent: all. */
  signedInAt?: Date[];
  /** Also revoke every grant of the person, with its access and refresh tokens. */
  revokeGrants: boolean;
  /** Why, for the log (a code, never personal data). */
  reason: string;
}

export interface ProviderSessions {
  /** Ends the sessions (and grants) now; returns the back-channel logout to run once committed. */
  end(q: Queryable, e: ProviderSessionEnd): Promise<() => Promise<void>>;
}

/** No single sign-on (unit tests of identity alone): nothing to end. */
export const noProviderSessions: ProviderSessions = { end: async () => async () => undefined };

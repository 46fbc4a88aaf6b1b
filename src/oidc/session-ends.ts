/**
 * Ending single sign-on sessions when portal sessions end (the identity module's
 * `ProviderSessions` port): sign-out, "sign out other devices", password reset, and a
 * lowered assurance level.
 *
 * Rules:
 * - P1.1 a provider session belongs to the portal session it was opened from: the same
 *   person and the same sign-in time (`loginTs`, the `auth_time` the interaction sets from
 *   the portal session). Ending portal sessions deletes those provider sessions; at every
 *   authorization provider.ts also refuses a provider session whose portal session is gone.
 * - With `revokeGrants` every grant of the person goes, with its codes, access and refresh
 *   tokens, so userinfo and refresh release nothing more (P7.3, P2.1).
 * - Every service of an ended provider session that registered a back-channel URI gets a
 *   signed logout token naming the session (`sid`), after the caller commits; a service
 *   that does not answer is logged and never retried inside the request: the one-off job
 *   `oidc.backchannel-logout` retries it with back-off (its payload holds identifiers
 *   only), so a service that was down still learns the session ended.
 * - Runs outside provider requests (portal routes, verification), on the caller's
 *   connection: no unit of work is involved.
 */
import type Provider from 'oidc-provider';
import type { Queryable } from '../kernel/db/database.ts';
import type { ProviderSessions } from '../modules/session/index.ts';
import type { ProviderHolder } from './mount.ts';

interface SessionPayload {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

const endSessions = {
  name: 'oidc-end-account-sessions',
  text: `DELETE FROM oidc_model
          WHERE kind = 'Session' AND payload->>'accountId' = $1
            AND ($2::bigint[] IS NULL OR (payload->>'loginTs')::bigint = ANY ($2::bigint[]))
          RETURNING payload`,
};

/** Every grant of the person, and every row of those grants (codes, access and refresh tokens). */
const revokeGrants = {
  name: 'oidc-revoke-account-grants',
  text: `WITH g AS (
           DELETE FROM oidc_model WHERE kind = 'Grant' AND payload->>'accountId' = $1 RETURNING id)
         DELETE FROM oidc_model WHERE grant_id IN (SELECT id FROM g)`,
};

/** One logout token still owed to one service: identifiers only (a job payload). */
export interface BackchannelLogout {
  clientId: string;
  /** Absent: no provider session held the service any more; the token names the person only. */
  sid?: string;
  accountId: string;
}

/**
 * Where a failed back-channel call goes to be retried. Bound late: the job runner is made
 * after the provider sessions (platform.ts sets `enqueue` and registers the handler).
 */
export interface BackchannelRetry {
  enqueue?: (owed: BackchannelLogout) => Promise<unknown>;
}

export const BACKCHANNEL_JOB = 'oidc.backchannel-logout';

/** Sends one logout token; throws when the service does not take it (the job retries). */
export async function sendBackchannelLogout(
  provider: Provider | undefined,
  owed: BackchannelLogout,
): Promise<void> {
  if (!provider) throw new Error('the provider is not mounted yet');
  const client = await provider.Client.find(owed.clientId);
  // A service removed or no longer registered for back-channel logout is owed nothing.
  if (!client?.backchannelLogoutUri) return;
  // The library's own logout token (signed, `sid`, the pairwise `sub`); untyped.
  const c = client as unknown as { backchannelLogout(sub: string, sid?: string): Promise<void> };
  await c.backchannelLogout(owed.accountId, owed.sid);
}

export function providerSessionEnds(
  holder: ProviderHolder,
  log: (msg: string, detail: Record<string, unknown>) => void,
  retry: BackchannelRetry = {},
): ProviderSessions {
  return {
    async end(q: Queryable, e) {
      const times = e.signedInAt?.map((t) => Math.floor(t.getTime() / 1000)) ?? null;
      const { rows } = await q.query<{ payload: SessionPayload }>(endSessions, [e.subjectId, times]);
      if (e.revokeGrants) await q.query(revokeGrants, [e.subjectId]);
      return () => tellServices(holder.provider, e.subjectId, rows, e.reason, log, retry);
    },
  };
}

async function tellServices(
  provider: Provider | undefined,
  accountId: string,
  sessions: { payload: SessionPayload }[],
  reason: string,
  log: (msg: string, detail: Record<string, unknown>) => void,
  retry: BackchannelRetry,
): Promise<void> {
  if (!provider) return;
  const calls: Promise<void>[] = [];
  for (const { payload } of sessions) {
    for (const [clientId, auth] of Object.entries(payload.authorizations ?? {})) {
      if (!auth.sid) continue;
      const owed = { clientId, sid: auth.sid, accountId };
      calls.push(
        sendBackchannelLogout(provider, owed).catch(async (err: unknown) => {
          // The client id and the reason only: the error may quote the service's answer.
          log('back-channel logout failed, retried by a job', {
            clientId,
            reason,
            error: (err as Error).name,
          });
          await retry
            .enqueue?.(owed)
            .catch((e: unknown) =>
              log('back-channel logout retry not queued', { clientId, error: (e as Error).name }),
            );
        }),
      );
    }
  }
  await Promise.all(calls);
}

/**
 * The provider's side of "connected services" (the connected module's `ServiceGrants`
 * port): which services hold a grant of the person, and disconnecting one of them.
 *
 * Rules:
 * - P8.1.view a grant tells the person which service they let in, when, and which scopes
 *   it was given; nothing of its token identifiers leaves (an opaque token's id is the
 *   token itself).
 * - P8.5 P7.3 disconnecting a service removes that service alone: every grant of the person
 *   to that client goes with its codes, access and refresh tokens (userinfo and refresh
 *   release nothing more), and the service's authorization is taken out of every provider
 *   session of the person, so the next sign-in there starts afresh; the person stays
 *   signed in to the portal and to every other service.
 * - The rows change inside the caller's transaction; the service is told by back-channel
 *   logout after the caller commits (the returned function): one logout token per provider
 *   session that held it (`sid`), or one naming the person only (`sub`) when no session
 *   held it any more. A service that does not answer is retried by the job
 *   `oidc.backchannel-logout` (session-ends.ts), never inside the request.
 */
import type { Queryable } from '../kernel/db/database.ts';
import type { ServiceGrant, ServiceGrants } from '../modules/connected/index.ts';
import type { ProviderHolder } from './mount.ts';
import { sendBackchannelLogout, type BackchannelLogout, type BackchannelRetry } from './session-ends.ts';

const grantsOf = {
  name: 'oidc-grants-of-account',
  text: `SELECT payload->>'clientId' AS "clientId", payload->'openid'->>'scope' AS scope,
                (payload->>'iat')::bigint AS iat
           FROM oidc_model
          WHERE kind = 'Grant' AND payload->>'accountId' = $1 AND (expires_at IS NULL OR expires_at > now())
          ORDER BY (payload->>'iat')::bigint`,
};

/** Takes the client's authorization out of each session of the person; returns its `sid`s. */
const leaveSessions = {
  name: 'oidc-sessions-leave-client',
  text: `WITH s AS (
           SELECT id, payload->'authorizations'->$2::text->>'sid' AS sid FROM oidc_model
            WHERE kind = 'Session' AND payload->>'accountId' = $1
              AND jsonb_typeof(payload->'authorizations') = 'object' AND payload->'authorizations' ? $2::text
            FOR UPDATE)
         UPDATE oidc_model m SET payload = m.payload #- ARRAY['authorizations', $2::text]
           FROM s WHERE m.kind = 'Session' AND m.id = s.id
         RETURNING s.sid`,
};

/** The person's grants to the client and every row of those grants; and any row of theirs naming the client. */
const revokeClient = {
  name: 'oidc-revoke-client-grants',
  text: `WITH g AS (
           DELETE FROM oidc_model
            WHERE kind = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2 RETURNING id)
         DELETE FROM oidc_model
          WHERE grant_id IN (SELECT id FROM g)
             OR (kind <> 'Session' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2)`,
};

export function serviceGrants(
  holder: ProviderHolder,
  log: (msg: string, detail: Record<string, unknown>) => void,
  retry: BackchannelRetry = {},
): ServiceGrants {
  return {
    async of(q, subjectId) {
      const { rows } = await q.query<{ clientId: string; scope: string | null; iat: string | null }>(
        grantsOf,
        [subjectId],
      );
      const out = new Map<string, ServiceGrant>();
      for (const r of rows) {
        const at = r.iat ? new Date(Number(r.iat) * 1000) : null;
        const was = out.get(r.clientId);
        const scopes = new Set([...(was?.scopes ?? []), ...(r.scope ?? '').split(' ').filter(Boolean)]);
        out.set(r.clientId, {
          clientId: r.clientId,
          scopes: [...scopes],
          grantedAt:
            was?.grantedAt && at && was.grantedAt < at ? was.grantedAt : (at ?? was?.grantedAt ?? null),
        });
      }
      return [...out.values()];
    },

    // policy: P8.5.withdraw — this client's grants and tokens go; it leaves the person's sessions.
    async disconnect(q: Queryable, subjectId: string, clientId: string) {
      const { rows } = await q.query<{ sid: string | null }>(leaveSessions, [subjectId, clientId]);
      const { rowCount } = await q.query(revokeClient, [subjectId, clientId]);
      const sids = [...new Set(rows.map((r) => r.sid).filter((s): s is string => Boolean(s)))];
      const owed: BackchannelLogout[] =
        sids.length > 0
          ? sids.map((sid) => ({ clientId, sid, accountId: subjectId }))
          : [{ clientId, accountId: subjectId }];
      const tell = async () => {
        await Promise.all(
          owed.map((o) =>
            sendBackchannelLogout(holder.provider, o).catch(async (err: unknown) => {
              // The client id only: the error may quote the service's answer.
              log('back-channel logout failed, retried by a job', {
                clientId,
                reason: 'disconnected',
                error: (err as Error).name,
              });
              await retry
                .enqueue?.(o)
                .catch((e: unknown) =>
                  log('back-channel logout retry not queued', { clientId, error: (e as Error).name }),
                );
            }),
          ),
        );
      };
      return { sessions: rows.length, rows: rowCount ?? 0, tell };
    },
  };
}

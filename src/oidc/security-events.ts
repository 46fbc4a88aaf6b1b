/**
 * Security Event Tokens to the services (RFC 8417), pushed to the endpoint each service
 * registered (RFC 8935), in the OpenID RISC profile: `account-purged` when a person's
 * account is closed (P8.5.cancel).
 *
 * Rules:
 * - An event is owed in the transaction that closes the account (the closure module
 *   enqueues the one-off job `oidc.security-event` there: the outbox), one per service
 *   that knew the person, naming them the way that service knows them: the pairwise `sub`
 *   of its department with `iss` (subject format `iss_sub`). The job's payload holds that
 *   pseudonymous pair only, so nothing leads back to the person once they are erased.
 * - The token is signed with the provider's active signing key of the service's ID token
 *   algorithm (`typ: secevent+jwt`, `aud` the client id, a fresh `jti`), so the service
 *   checks it against the JWKS it already uses.
 * - 202 (or any 2xx) is delivered. A 400 with an RFC 8935 error (`invalid_key`,
 *   `invalid_request`, …) says the service will never accept this token: logged with the
 *   error code, not retried. Anything else (network, 5xx, timeout) throws and the job
 *   retries with back-off.
 * - A service without a push endpoint, or removed since, is owed nothing.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import type { Database } from '../kernel/db/database.ts';
import type { RelyingPartyRegistry } from '../modules/catalogue/index.ts';
import type { KeyManager } from '../modules/vault/index.ts';
import { loadSigningKeys, type PrivateJwk } from './keys.ts';
import { pairwiseSubject } from './pairwise.ts';

export const SECURITY_EVENT_JOB = 'oidc.security-event';
export const RISC_ACCOUNT_PURGED = 'https://schemas.openid.net/secevent/risc/event-type/account-purged';

/** One event owed to one service: a job payload (pseudonymous). */
export interface OwedSecurityEvent {
  clientId: string;
  sub: string;
  jti: string;
  /** Seconds since the epoch: when it happened (the token's `iat` and `toe`). */
  at: number;
  event: 'account-purged';
}

export interface SecurityEvents {
  /** The events owed to these services about this person (enqueued by the caller). */
  owed(subjectId: string, clientIds: readonly string[], at: Date): Promise<OwedSecurityEvent[]>;
  /** Pushes one event; throws when the service should be asked again. */
  push(owed: OwedSecurityEvent): Promise<'delivered' | 'rejected' | 'not-registered'>;
}

const TIMEOUT_MS = 10_000;

export function createSecurityEvents(deps: {
  db: Database;
  keys: KeyManager;
  registry: RelyingPartyRegistry;
  /** The provider's issuer, once it is mounted. */
  issuer: () => string | undefined;
  log: (msg: string, detail: Record<string, unknown>) => void;
}): SecurityEvents {
  let signing: { at: number; keys: PrivateJwk[] } | undefined;
  const keyFor = async (alg: string) => {
    // Reloaded every minute: a rotated key signs within that time.
    if (!signing || Date.now() - signing.at > 60_000)
      signing = { at: Date.now(), keys: await loadSigningKeys(deps.db, deps.keys) };
    const jwk = signing.keys.find((k) => k.alg === alg) ?? signing.keys[0]!;
    return { jwk, key: await importJWK(jwk, jwk.alg) };
  };

  return {
    async owed(subjectId, clientIds, at) {
      const out: OwedSecurityEvent[] = [];
      for (const clientId of new Set(clientIds)) {
        const rp = await deps.registry.find(clientId);
        if (!rp?.riscPushEndpoint) continue;
        out.push({
          clientId,
          sub: pairwiseSubject(deps.keys, rp.departmentSlug, subjectId),
          jti: randomUUID(),
          at: Math.floor(at.getTime() / 1000),
          event: 'account-purged',
        });
      }
      return out;
    },

    async push(owed) {
      const rp = await deps.registry.find(owed.clientId);
      if (!rp?.riscPushEndpoint) return 'not-registered';
      const iss = deps.issuer();
      if (!iss) throw new Error('the provider is not mounted yet');
      const { jwk, key } = await keyFor(rp.idTokenAlg);
      const token = await new SignJWT({
        toe: owed.at,
        events: { [RISC_ACCOUNT_PURGED]: { subject: { format: 'iss_sub', iss, sub: owed.sub } } },
      })
        .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'secevent+jwt' })
        .setIssuer(iss)
        .setAudience(owed.clientId)
        .setIssuedAt(owed.at)
        .setJti(owed.jti)
        .sign(key);
      const res = await fetch(rp.riscPushEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
        body: token,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.ok) return 'delivered';
      if (res.status === 400) {
        const body = (await res.json().catch(() => ({}))) as { err?: unknown };
        deps.log('security event refused by the service, not retried', {
          clientId: owed.clientId,
          jti: owed.jti,
          err: typeof body.err === 'string' ? body.err.slice(0, 40) : 'unknown',
        });
        return 'rejected';
      }
      throw new Error(`the service answered ${res.status}`);
    },
  };
}

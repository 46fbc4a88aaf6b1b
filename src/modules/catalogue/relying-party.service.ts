/**
 * The relying-party registry: register and change department services as OpenID clients.
 *
 * Rules:
 * - Input is validated by `relyingPartyInput` (see relying-party.ts for P1.2, P2.3, P4).
 * - A client secret is generated here, shown once to the caller, and stored sealed under
 *   a keyring master key; only the OpenID provider unseals it, to check client auth.
 * - Every registration and change is audited with the staff member or system job that made
 *   it, in the same transaction.
 * - Reads are cached per process for a few seconds: the provider looks a client up on
 *   every request, connected services list them for every person, and a change reaches
 *   every process within that time (at once in the process that made it).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { KeyManager } from '../vault/index.ts';
import { catalogueErrors } from './catalogue.errors.ts';
import { relyingPartyInput, type RelyingParty, type RelyingPartyInput } from './relying-party.ts';
import * as repo from './relying-party.repository.ts';
import { demoRelyingParties } from './relying-party.demo.ts';
import { clock } from '../../kernel/clock.ts';

const CACHE_MS = 5_000;

export interface RegistryActor {
  type: 'staff' | 'system';
  id: string;
}

export interface RelyingPartyRegistry {
  /** Creates or replaces a registration; returns the new secret when one was issued. */
  register(
    input: RelyingPartyInput,
    by: RegistryActor,
    opts?: { issueSecret?: boolean; requestId?: string },
  ): Promise<{ relyingParty: RelyingParty; secret?: string }>;
  find(clientId: string): Promise<RelyingParty | undefined>;
  list(): Promise<RelyingParty[]>;
  /** P1.2 when each service's own privacy terms changed after it was registered, oldest first. */
  policyChanges(): Promise<{ clientId: string; since: Date }[]>;
  /** The client secret in clear, for the provider's client authentication only. */
  secretOf(clientId: string): Promise<string | undefined>;
  /**
   * Registers each demo service not yet registered, as a client of the demo department app
   * at `appUrl`; returns the secrets issued (shown once, for the app's configuration).
   */
  seedDemo(
    appUrl: string,
  ): Promise<{ clientId: string; clientSecret: string; scope: string; delivery: boolean }[]>;
}

const view = (r: repo.RelyingPartyRow): RelyingParty => ({
  clientId: r.client_id,
  serviceId: r.service_id,
  serviceSlug: r.service_slug,
  departmentSlug: r.department_slug,
  serviceName: r.service_name,
  departmentName: r.department_name,
  redirectUris: r.redirect_uris,
  postLogoutRedirectUris: r.post_logout_redirect_uris,
  ...(r.frontchannel_logout_uri ? { frontchannelLogoutUri: r.frontchannel_logout_uri } : {}),
  ...(r.backchannel_logout_uri ? { backchannelLogoutUri: r.backchannel_logout_uri } : {}),
  ...(r.risc_push_endpoint ? { riscPushEndpoint: r.risc_push_endpoint } : {}),
  policyUrl: r.policy_url,
  ...(r.home_uri ? { homeUri: r.home_uri } : {}),
  dpaReference: r.dpa_reference,
  fields: r.fields,
  assuranceLevel: r.assurance_level,
  grantTypes: r.grant_types as RelyingParty['grantTypes'],
  idTokenAlg: r.id_token_alg,
  offlineDelivery: r.offline_delivery,
  hasSecret: r.sealed_secret !== null,
});

export function createRelyingPartyRegistry(deps: {
  db: Database;
  audit: AuditService;
  keys: KeyManager;
}): RelyingPartyRegistry {
  const { db, audit, keys } = deps;
  const cache = new Map<string, { at: number; row: repo.RelyingPartyRow | undefined }>();
  const secrets = new WeakMap<repo.RelyingPartyRow, string>();
  let listed: { at: number; all: RelyingParty[] } | undefined;
  const row = async (clientId: string) => {
    const hit = cache.get(clientId);
    if (hit && clock.now() - hit.at < CACHE_MS) return hit.row;
    const found = await repo.find(db, clientId);
    cache.set(clientId, { at: clock.now(), row: found });
    return found;
  };

  return {
    async register(raw, by, opts = {}) {
      const parsed = relyingPartyInput.safeParse(raw);
      if (!parsed.success) {
        throw new AppError(
          catalogueErrors.invalid_registration,
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      const input = parsed.data;
      const secret = opts.issueSecret ? randomBytes(32).toString('base64url') : undefined;
      const sealed = secret
        ? await keys.wrap(Buffer.from(secret), `relying-party:${input.clientId}`)
        : undefined;
      await db.tx(async (q) => {
        const serviceId = await repo.serviceId(q, input.serviceSlug);
        if (!serviceId) throw new AppError(catalogueErrors.unknown_service, input.serviceSlug);
        const outcome = await repo.upsert(q, {
          client_id: input.clientId,
          service_id: serviceId,
          sealed_secret: sealed?.wrapped ?? null,
          master_key: sealed?.keyId ?? null,
          redirect_uris: input.redirectUris,
          post_logout_redirect_uris: input.postLogoutRedirectUris,
          frontchannel_logout_uri: input.frontchannelLogoutUri ?? null,
          backchannel_logout_uri: input.backchannelLogoutUri ?? null,
          risc_push_endpoint: input.riscPushEndpoint ?? null,
          policy_url: input.policyUrl,
          home_uri: input.homeUri ?? null,
          dpa_reference: input.dpaReference,
          fields: input.fields,
          assurance_level: input.assuranceLevel,
          grant_types: input.grantTypes,
          id_token_alg: input.idTokenAlg,
          offline_delivery: input.offlineDelivery,
        });
        // P1.2 the service's privacy terms are versioned: a new URL is a new version.
        await repo.recordPolicyUrl(q, input.clientId, input.policyUrl, clock.date());
        await audit.append(q, {
          actor: by,
          action:
            outcome === 'created' ? 'catalogue.relying_party_registered' : 'catalogue.relying_party_changed',
          subject: { type: 'relying-party', id: input.clientId },
          clause: 'P1.2',
          detail: {
            fields: input.fields.map(
              (f) => `${f.field}:${f.purpose}:${f.retentionDays}d${f.required ? '' : ':optional'}`,
            ),
            assuranceLevel: input.assuranceLevel,
            redirectUris: input.redirectUris,
            // Where the portal's catalogue sends people: as much a redirect as the others.
            homeUri: input.homeUri ?? null,
            secretIssued: Boolean(secret),
          },
          requestId: opts.requestId ?? null,
        });
      });
      cache.delete(input.clientId);
      listed = undefined;
      const relyingParty = view((await repo.find(db, input.clientId))!);
      return secret ? { relyingParty, secret } : { relyingParty };
    },

    async find(clientId) {
      const r = await row(clientId);
      return r ? view(r) : undefined;
    },

    policyChanges: () => repo.policyChanges(db),

    async list() {
      // Read per person by connected services and closing: cached like `find`.
      if (!listed || clock.now() - listed.at >= CACHE_MS)
        listed = { at: clock.now(), all: (await repo.list(db)).map(view) };
      return listed.all;
    },

    async seedDemo(appUrl) {
      const have = new Set((await repo.list(db)).map((r) => r.service_slug));
      const issued: { clientId: string; clientSecret: string; scope: string; delivery: boolean }[] = [];
      for (const d of demoRelyingParties) {
        if (have.has(d.service) || !(await repo.serviceId(db, d.service))) continue;
        const { secret } = await this.register(
          {
            clientId: d.service,
            serviceSlug: d.service,
            redirectUris: [`${appUrl}/callback`, ...(d.delivery ? [`${appUrl}/delivery/callback`] : [])],
            postLogoutRedirectUris: [`${appUrl}/`],
            frontchannelLogoutUri: `${appUrl}/frontchannel-logout`,
            backchannelLogoutUri: `${appUrl}/backchannel-logout`,
            riscPushEndpoint: `${appUrl}/security-events`,
            policyUrl: `${appUrl}/privacy`,
            // The demo app's /login starts its sign-in with Civitas.
            homeUri: `${appUrl}/login`,
            dpaReference: `DPA-DEMO-${d.service.toUpperCase()}`,
            fields: d.fields,
            assuranceLevel: d.level,
            ...(d.delivery
              ? {
                  offlineDelivery: true,
                  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
                }
              : {}),
          },
          { type: 'system', id: 'demo-seed' },
          { issueSecret: true },
        );
        issued.push({
          clientId: d.service,
          clientSecret: secret!,
          scope: ['openid', ...d.fields.map((f) => f.field)].join(' '),
          delivery: d.delivery === true,
        });
      }
      return issued;
    },

    async secretOf(clientId) {
      const r = await row(clientId);
      if (!r?.sealed_secret || !r.master_key) return undefined;
      // Unsealed once per cached row: client authentication runs on every token request.
      const hit = secrets.get(r);
      if (hit) return hit;
      const secret = (
        await keys.unwrap(r.master_key, r.sealed_secret, `relying-party:${clientId}`)
      ).toString();
      secrets.set(r, secret);
      return secret;
    },
  };
}

/**
 * Linked accounts (P7.1): sign-in through an upstream OpenID Connect provider, once the
 * person has linked that upstream account to their Civitas account.
 *
 * Rules:
 * - P7.1 a link is made only by the signed-in person, through a full upstream sign-in;
 *   it is listed on their security page and they can remove it; both are audited.
 * - P7.1 one upstream identity links to at most one account, and an account to at most one
 *   identity per provider (unique indexes).
 * - P2.1 an upstream identity linked to no account is refused: an account is never created
 *   from an upstream login (registration needs the person's real name and ID number).
 * - Every callback must match a flow started here: the state (also held in a cookie of
 *   this browser), the nonce in the ID token and the PKCE verifier; a flow is used once
 *   and lasts ten minutes (linked.lifecycle.ts: started → used).
 * - The upstream subject is stored only as a keyed hash; no upstream personal data is kept.
 * - Sign-in completes through the identity module (`loginWithLinkedAccount`), so its
 *   session, audit and risk rules apply.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { IdentityService, SignInContext, SignInResult } from '../signin/index.ts';
import { createUpstream, type Upstream } from './linked.client.ts';
import { linkedErrors } from './linked.errors.ts';
import { flowLifecycle } from './linked.lifecycle.ts';
import * as repo from './linked.repository.ts';
import type { LinkedProviderConfig } from './linked.types.ts';
import { clock } from '../../kernel/clock.ts';

export interface LinkView {
  id: string;
  provider: string;
  providerName: LinkedProviderConfig['name'];
  linkedAt: Date;
}

export type Finished =
  | { mode: 'link'; subjectId: string }
  | { mode: 'login'; subjectId: string; result: SignInResult; next: string | null };

export interface LinkedService {
  providers(): { id: string; name: LinkedProviderConfig['name'] }[];
  /** The callback URL registered with every upstream provider. */
  redirectUri(): string;
  /** Starts an upstream sign-in; the state goes in a cookie of this browser and in the URL. */
  start(p: {
    provider: string;
    mode: 'link' | 'login';
    subjectId?: string;
    next?: string;
  }): Promise<{ url: URL; state: string }>;
  finish(p: {
    callbackUrl: URL;
    stateCookie: string | undefined;
    /** The person signed in on this browser now, for a link. */
    signedIn: string | undefined;
    /** How this browser signs in (device, place, language): a linked sign-in is risk-checked too. */
    ctx: SignInContext;
  }): Promise<Finished>;
  links(subjectId: string): Promise<LinkView[]>;
  unlink(subjectId: string, linkId: string, requestId: string): Promise<void>;
}

const stateHash = (state: string) => createHash('sha256').update(state).digest();

export function createLinkedService(deps: {
  db: Database;
  audit: AuditService;
  identity: IdentityService;
  providers: readonly LinkedProviderConfig[];
  /** Where upstream providers send the browser back (known once the server listens). */
  redirectUri: () => string;
  keyedHash: (data: string) => Buffer;
}): LinkedService {
  const { db, audit } = deps;
  const upstreams = new Map<string, { config: LinkedProviderConfig; client: Upstream }>(
    deps.providers.map((p) => [p.id, { config: p, client: createUpstream(p) }]),
  );
  const upstream = (id: string) => {
    const u = upstreams.get(id);
    if (!u) throw new AppError(linkedErrors.unknown_provider);
    return u;
  };
  const subHash = (provider: string, sub: string) => deps.keyedHash(`${provider}\u0000${sub}`);

  return {
    providers: () => deps.providers.map((p) => ({ id: p.id, name: p.name })),
    redirectUri: deps.redirectUri,

    async start({ provider, mode, subjectId, next }) {
      const u = upstream(provider);
      const state = randomBytes(32).toString('base64url');
      const nonce = randomBytes(32).toString('base64url');
      const verifier = randomBytes(32).toString('base64url');
      let url: URL;
      try {
        url = await u.client.authorizationUrl({ redirectUri: deps.redirectUri(), state, nonce, verifier });
      } catch {
        throw new AppError(linkedErrors.upstream_failed, 'discovery failed');
      }
      await repo.insertFlow(db, stateHash(state), {
        provider,
        mode,
        subjectId: subjectId ?? null,
        nonce,
        verifier,
        next: next ?? null,
      });
      return { url, state };
    },

    async finish({ callbackUrl, stateCookie, signedIn, ctx }) {
      const { requestId } = ctx;
      const state = callbackUrl.searchParams.get('state') ?? '';
      // The state in the URL must be the one this browser started with (cookie), and known here.
      if (!state || state !== stateCookie) throw new AppError(linkedErrors.flow_invalid, 'state mismatch');
      const flow = await repo.findFlow(db, stateHash(state));
      if (!flow) throw new AppError(linkedErrors.flow_invalid, 'unknown or expired state');
      // linked.flow_invalid when already used or past its ten minutes.
      const to = flowLifecycle.next(flow.state, 'use', { expiresAt: flow.expiresAt, now: clock.date() });
      if (!(await repo.moveFlow(db, stateHash(state), flow.state, to)))
        throw new AppError(linkedErrors.flow_invalid, 'unknown or expired state');
      const u = upstream(flow.provider);
      let sub: string;
      try {
        sub = await u.client.subjectOf(callbackUrl, { state, nonce: flow.nonce, verifier: flow.verifier });
      } catch (err) {
        const name = (err as { name?: string; code?: string }).code ?? (err as Error).name;
        // A bad nonce, state or signature is a mismatch; anything else is the upstream failing.
        if (
          /OAUTH_JWT_CLAIM_COMPARISON_FAILED|OAUTH_INVALID_RESPONSE|OAUTH_JWS_SIGNATURE|OAUTH_RESPONSE_IS_NOT_CONFORM|AuthorizationResponseError|ResponseBodyError/.test(
            name,
          )
        )
          throw new AppError(linkedErrors.flow_invalid, name);
        throw new AppError(linkedErrors.upstream_failed, name);
      }
      const hash = subHash(flow.provider, sub);
      if (flow.mode === 'link') {
        if (!flow.subjectId || flow.subjectId !== signedIn)
          throw new AppError(linkedErrors.flow_invalid, 'not signed in as the person who started linking');
        const subjectId = flow.subjectId;
        await db.tx(async (q) => {
          const r = await repo.insertLink(q, subjectId, flow.provider, hash);
          if ('conflict' in r)
            throw new AppError(
              r.conflict === 'provider' ? linkedErrors.provider_linked : linkedErrors.linked_elsewhere,
            );
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'linked.linked',
            subject: { type: 'person', id: subjectId },
            purpose: 'account-security',
            clause: 'P7.1',
            detail: { provider: flow.provider, link: r.id },
            requestId,
          });
        });
        return { mode: 'link', subjectId };
      }
      const subjectId = await repo.subjectOfLink(db, flow.provider, hash);
      if (!subjectId) {
        await audit.append(db, {
          actor: { type: 'anonymous' },
          action: 'linked.login_refused',
          clause: 'P7.1',
          purpose: 'account-security',
          detail: { provider: flow.provider, code: linkedErrors.not_linked },
          requestId,
        });
        throw new AppError(linkedErrors.not_linked);
      }
      const result = await deps.identity.loginWithLinkedAccount(subjectId, flow.provider, ctx);
      return { mode: 'login', subjectId, result, next: flow.next };
    },

    async links(subjectId) {
      return (await repo.linksOf(db, subjectId)).map((l) => ({
        ...l,
        providerName: upstreams.get(l.provider)?.config.name ?? {
          'zh-CN': l.provider,
          en: l.provider,
          cs: l.provider,
        },
      }));
    },

    async unlink(subjectId, linkId, requestId) {
      await db.tx(async (q) => {
        const provider = await repo.deleteLink(q, subjectId, linkId);
        if (!provider) throw new AppError(linkedErrors.not_found);
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'linked.unlinked',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.1',
          detail: { provider, link: linkId },
          requestId,
        });
      });
    },
  };
}

/**
 * P7.3 second step and passkey API (attempt limits and cross-site refusal: the guard
 * table, web/http/guards.table.ts). The challenge comes in the body or, from the pages' script,
 * in the second-step cookie.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import { localeOf } from '../i18n/index.ts';
import { type IdentityService } from '../../modules/signin/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';
import { applySignIn, relyingParty, signInContext } from '../http/sign-in.ts';

const challenge = z.string().max(100).optional();
const credential = z.looseObject({ id: z.string().max(2000), type: z.literal('public-key') });
const options = z.object({ options: z.record(z.string(), z.unknown()) });
const stepErrors = [
  'identity.second_step_expired',
  'identity.second_step_locked',
  'identity.second_step_method',
  'identity.second_step_slowed',
  'http.rate_limited',
];

export function registerSecondStepRoutes(
  scope: FastifyInstance,
  api: Api,
  deps: {
    identity: IdentityService;
    http: HttpPolicy;
    publicUrl: string | undefined;
    signInAnswer: z.ZodType;
  },
): void {
  const secure = deps.http.secureCookies;
  const step = deps.identity.secondStep;
  const tokenOf = (req: FastifyRequest, given: string | undefined) =>
    given ?? req.cookies[deps.http.cookieName('step')];
  const rp = (req: FastifyRequest) => relyingParty(req, deps.publicUrl);
  const ceremony = deps.http.cookie('passkey');

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/second-step/sms',
    summary: 'Send the SMS code of a pending second step to the verified phone',
    tags: ['identity'],
    body: z.object({ challenge }),
    response: z.object({ sent: z.literal(true) }),
    status: 202,
    errors: [...stepErrors, 'identity.too_many_codes', 'identity.sms_unavailable'],
    handler: async ({ body, req }) => {
      await step.sendSms(tokenOf(req, body.challenge), localeOf(req), req.id);
      return { sent: true as const };
    },
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/second-step/code',
    summary:
      'Pass a pending second step with a TOTP code, a recovery code or the SMS code; opens the session',
    tags: ['identity'],
    body: z.object({
      challenge,
      method: z.enum(['totp', 'recovery-code', 'sms']),
      code: z.string().trim().max(20),
    }),
    response: deps.signInAnswer,
    errors: [...stepErrors, 'identity.code_invalid'],
    handler: async ({ body, req, reply }) =>
      applySignIn(
        reply,
        await step.withCode(tokenOf(req, body.challenge), body.method, body.code, req.id, localeOf(req)),
        secure,
      ),
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/second-step/passkey/options',
    summary: 'WebAuthn options to pass a pending second step with one of the account’s passkeys',
    tags: ['identity'],
    body: z.object({ challenge }),
    response: options,
    errors: stepErrors,
    handler: async ({ body, req }) => ({
      options: { ...(await step.passkeyOptions(tokenOf(req, body.challenge), rp(req))) },
    }),
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/second-step/passkey',
    summary: 'Pass a pending second step with a passkey assertion; opens the session',
    tags: ['identity'],
    body: z.object({ challenge, credential }),
    response: deps.signInAnswer,
    errors: [...stepErrors, 'identity.passkey_failed'],
    handler: async ({ body, req, reply }) =>
      applySignIn(
        reply,
        await step.withPasskey(
          tokenOf(req, body.challenge),
          body.credential as unknown as AuthenticationResponseJSON,
          rp(req),
          req.id,
          localeOf(req),
        ),
        secure,
      ),
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/passkey/options',
    summary: 'WebAuthn options for a passwordless sign-in with a passkey (discoverable credential)',
    tags: ['identity'],
    response: options,
    errors: ['http.rate_limited'],
    handler: async ({ req, reply }) => {
      const r = await deps.identity.passkeys.signInOptions(rp(req));
      ceremony.set(reply, r.ceremony);
      return { options: { ...r.options } };
    },
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/identity/login/passkey',
    summary: 'Sign in with a passkey (user verification required, so no further step)',
    tags: ['identity'],
    body: z.object({ credential }),
    response: deps.signInAnswer,
    errors: ['identity.passkey_failed', 'http.rate_limited'],
    handler: async ({ body, req, reply }) =>
      applySignIn(
        reply,
        await deps.identity.loginWithPasskey(
          ceremony.read(req),
          body.credential as unknown as AuthenticationResponseJSON,
          rp(req),
          signInContext(req, reply, secure),
        ),
        secure,
      ),
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/me/passkeys/options',
    summary: 'WebAuthn options to add a passkey to the signed-in account',
    tags: ['identity'],
    response: options,
    errors: ['http.unauthenticated'],
    handler: async ({ req, reply }) => {
      const r = await deps.identity.passkeys.registrationOptions(req.principal.citizen!.subjectId, rp(req));
      ceremony.set(reply, r.ceremony);
      return { options: { ...r.options } };
    },
  });

  api.register(scope, {
    method: 'POST',
    url: '/api/me/passkeys',
    summary: 'Add a passkey to the signed-in account (audited); returns recovery codes once if it had none',
    tags: ['identity'],
    body: z.object({ credential, label: z.string().trim().min(1).max(60).default('Passkey') }),
    response: z.object({ added: z.literal(true), recoveryCodes: z.array(z.string()).optional() }),
    status: 201,
    errors: ['http.unauthenticated', 'identity.passkey_failed'],
    handler: async ({ body, req, reply }) => {
      const codes = await deps.identity.passkeys.register(
        req.principal.citizen!.subjectId,
        ceremony.read(req),
        body.credential as unknown as RegistrationResponseJSON,
        rp(req),
        body.label,
        req.id,
      );
      ceremony.clear(reply);
      return { added: true as const, ...(codes ? { recoveryCodes: codes } : {}) };
    },
  });
}

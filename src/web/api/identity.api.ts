/**
 * Citizen registration and sign-in API. Success sets the citizen session cookie, or (P7.3,
 * a risky sign-in) answers `{ secondStep }` and sets no session; every attempt counts
 * against its policy's per-source bucket (shared/http/attempts.ts), shared with the
 * pages, on top of the per-number and per-account rules (attempts.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import {
  riskReasons,
  secondStepMethods,
  type IdentityService,
  type SignInContext,
  type SignInResult,
} from '../../modules/signin/index.ts';
import { applySignIn, signInContext } from '../http/sign-in.ts';
import { registerSecondStepRoutes } from './second-step.api.ts';
import type { HttpPolicy } from '../http/cookies.ts';

// Room for what people type (+86, spaces, dashes); the service normalises it.
const phone = z.string().trim().max(32);
const signedIn = z.object({ subjectId: z.string() });
/** P7.3 a sign-in answers a session, or a second step the person must pass first. */
export const signInAnswer = z.union([
  signedIn,
  z.object({
    secondStep: z.object({
      challenge: z.string().describe('Pass back to /api/identity/second-step/* (also set as a cookie)'),
      methods: z.array(z.enum(secondStepMethods)),
      reasons: z.array(z.enum(riskReasons)),
      expiresAt: z.string(),
    }),
  }),
]);
/** Optional coarse place the person chose to share for this sign-in (P2.2.1). */
const place = z.string().trim().max(60).optional();

export function registerIdentityRoutes(
  app: FastifyInstance,
  api: Api,
  deps: {
    identity: IdentityService;
    http: HttpPolicy;
    publicUrl: string | undefined;
  },
): void {
  const cookie = deps.http.cookieName('session');

  /** Runs a sign-in with what this request tells (device, place), then sets its cookie. */
  const signIn = async (
    req: FastifyRequest,
    reply: FastifyReply,
    run: (ctx: SignInContext) => Promise<SignInResult>,
    shared?: string,
  ) =>
    applySignIn(
      reply,
      await run(signInContext(req, reply, deps.http.secureCookies, shared)),
      deps.http.secureCookies,
    );

  app.register(async (scope) => {
    // Guards (attempts per source, cross-site refusal): web/http/guards.table.ts.

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/codes',
      summary: 'Send a one-time code by SMS, to register or to sign in',
      tags: ['identity'],
      body: z.object({ phone, purpose: z.enum(['register', 'login', 'reset']) }),
      response: z.object({ sent: z.literal(true) }),
      status: 202,
      errors: [
        'identity.invalid_phone',
        'identity.too_many_codes',
        'identity.sms_unavailable',
        'http.rate_limited',
      ],
      handler: async ({ body, req, reply }) => {
        await deps.identity.sendCode(
          body.phone,
          body.purpose,
          signInContext(req, reply, deps.http.secureCookies),
        );
        return { sent: true as const };
      },
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/register',
      summary:
        'Register with a confirmed mobile number, name, resident ID number and password (assurance level L1)',
      tags: ['identity'],
      body: z.object({
        phone,
        code: z.string().trim().max(10),
        password: z.string().max(200),
        name: z.string().max(200),
        idNumber: z.string().trim().max(40),
      }),
      response: signedIn,
      status: 201,
      errors: [
        'identity.invalid_phone',
        'identity.code_invalid',
        'identity.code_used_up',
        'identity.weak_password',
        'identity.common_password',
        'identity.invalid_id_number',
        'identity.invalid_name',
        'identity.phone_registered',
        'identity.registration_refused',
        'http.rate_limited',
      ],
      handler: ({ body, req, reply }) =>
        signIn(req, reply, (ctx) => deps.identity.register(body, ctx)).then(
          (r) => r as { subjectId: string },
        ),
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/login/password',
      summary: 'Sign in with mobile number and password',
      tags: ['identity'],
      body: z.object({ phone, password: z.string().max(200), place }),
      response: signInAnswer,
      errors: ['identity.invalid_credentials', 'identity.locked', 'identity.slow_down', 'http.rate_limited'],
      handler: ({ body, req, reply }) =>
        signIn(
          req,
          reply,
          (ctx) => deps.identity.loginWithPassword(body.phone, body.password, ctx),
          body.place,
        ),
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/login/code',
      summary: 'Sign in with mobile number and an SMS code (works while password sign-in is locked)',
      tags: ['identity'],
      body: z.object({ phone, code: z.string().trim().max(10), place }),
      response: signInAnswer,
      errors: [
        'identity.invalid_phone',
        'identity.code_invalid',
        'identity.code_used_up',
        'identity.invalid_credentials',
        'http.rate_limited',
      ],
      handler: ({ body, req, reply }) =>
        signIn(req, reply, (ctx) => deps.identity.loginWithCode(body.phone, body.code, ctx), body.place),
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/password/reset',
      summary: 'Set a new password with a code sent to the verified phone; signs out every other session',
      tags: ['identity'],
      body: z.object({ phone, code: z.string().trim().max(10), password: z.string().max(200) }),
      response: signInAnswer,
      errors: [
        'identity.invalid_phone',
        'identity.code_invalid',
        'identity.code_used_up',
        'identity.weak_password',
        'identity.common_password',
        'http.rate_limited',
      ],
      handler: ({ body, req, reply }) =>
        signIn(req, reply, (ctx) => deps.identity.resetPassword(body.phone, body.code, body.password, ctx)),
    });

    const recoveryContext = (req: FastifyRequest, reply: FastifyReply) => {
      const ctx = signInContext(req, reply, deps.http.secureCookies);
      return {
        locale: ctx.locale ?? 'zh-CN',
        requestId: req.id,
        source: req.ip,
        device: ctx.device ?? 'unknown',
      };
    };
    api.register(scope, {
      method: 'POST',
      url: '/api/identity/phone-recovery/code',
      summary: 'Send a code to the new mobile number of a lost-phone recovery',
      tags: ['identity'],
      body: z.object({ phone }),
      response: z.object({ sent: z.literal(true) }),
      errors: [
        'identity.invalid_phone',
        'identity.too_many_codes',
        'identity.sms_unavailable',
        'http.rate_limited',
      ],
      handler: async ({ body, req, reply }) => {
        await deps.identity.selfRecovery.sendCode(body.phone, recoveryContext(req, reply));
        return { sent: true as const };
      },
    });

    // What both ways of recovering a lost phone take and may answer (a partner outage: the
    // registry at L1–L2, the face partner at L3).
    const recoveryClaim = z.object({
      phone,
      code: z.string().trim().max(10),
      name: z.string().trim().max(100),
      idNumber: z.string().trim().max(30),
    });
    const recoveryErrors = [
      'identity.invalid_phone',
      'identity.code_invalid',
      'identity.code_used_up',
      'identity.recovery_not_confirmed',
      'identity.recovery_needs_level',
      'identity.phone_unusable',
      'identity.second_step_slowed',
      'identity.too_many_codes',
      'verification.partner_unavailable',
      'http.rate_limited',
    ];

    // A lost phone (L1–L2): the new number proved by its code, the account by name, ID number,
    // the registry and a second factor; every session ends (signin/self-recovery.ts).
    api.register(scope, {
      method: 'POST',
      url: '/api/identity/phone-recovery',
      summary:
        'Bind a new mobile number when the old phone is lost (L1–L2, with an authenticator-app or recovery code); ends every session',
      tags: ['identity'],
      body: recoveryClaim.extend({ factor: z.string().trim().max(40) }),
      response: z.object({ recovered: z.literal(true) }),
      errors: [...recoveryErrors],
      handler: async ({ body, req, reply }) => {
        await deps.identity.selfRecovery.recover(body, recoveryContext(req, reply));
        return { recovered: true as const };
      },
    });

    // A lost phone at L3: the account proved by a live capture compared with the registry photo.
    api.register(scope, {
      method: 'POST',
      url: '/api/identity/phone-recovery/face',
      summary:
        'Bind a new mobile number when the old phone is lost (L3, with a live capture in base64, compared with the registry photo and not kept); ends every session',
      tags: ['identity'],
      body: recoveryClaim.extend({ image: z.base64().min(4).max(1_000_000) }),
      response: z.object({ recovered: z.literal(true) }),
      errors: [...recoveryErrors],
      handler: async ({ body, req, reply }) => {
        const { image, ...claim } = body;
        await deps.identity.selfRecovery.recoverByFace(
          { ...claim, image: Buffer.from(image, 'base64') },
          recoveryContext(req, reply),
        );
        return { recovered: true as const };
      },
    });

    registerSecondStepRoutes(scope, api, { ...deps, signInAnswer });

    api.register(scope, {
      method: 'POST',
      url: '/api/identity/logout',
      summary: 'Sign out of this browser',
      tags: ['identity'],
      response: z.object({ signedOut: z.literal(true) }),
      handler: async ({ req, reply }) => {
        const t = req.cookies[cookie];
        if (t) await deps.identity.signOut(t);
        reply.clearCookie(cookie, { path: '/' });
        return { signedOut: true as const };
      },
    });
  });
}

/**
 * Registration and sign-in pages over the identity service. A refusal re-renders the form
 * with its errors tied to their fields (web/forms) in the page language and keeps what the
 * person typed (never the password or code).
 *
 * Registration is three steps (P7.3): the phone (a code is sent, whether or not the number
 * has an account: the answer is the same), the code alone (which proves the number; only
 * then is "this number has an account" said), then the details, carried with the proof
 * of the number instead of the code. A wrong or spent code offers "send a new code".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import {
  type IdentityService,
  type SignInContext,
  type SignInResult,
} from '../../../modules/signin/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { normaliseMobile } from '../../../modules/account/index.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { applySignIn, signInContext } from '../../http/sign-in.ts';
import { nextOf, withNext } from '../../http/return-address.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import {
  LoginPage as LoginForm,
  RegisterPage,
  ResetPage,
  type FormState,
  type RegisterState,
} from './view.tsx';
import type { PageContext } from '../../layout.tsx';
import { registerSecondStepPages } from '../second-step/routes.ts';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | undefined>;

/**
 * Whether a service asked for a fresh sign-in (`prompt=login`, `max_age`): the provider's
 * login step sends the person here with `reauth=1` on its own address (interactions.routes.ts).
 * It can only make the sign-in stricter, so a hand-made `next` gains nothing.
 */
export const freshSignInAsked = (next: string | undefined) =>
  next !== undefined && /^\/oidc\/interaction\/[^?#]+\?(?:[^#]*&)?reauth=1(?:&|#|$)/.test(next);

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    identity: IdentityService;
    http: HttpPolicy;
    /** P7.1 sign-in buttons of linked-account providers (web/portal/linked/routes.ts). */
    linkedSignIn?: (ctx: PageContext, next?: string) => Child;
  },
) {
  const LoginPage = (p: Parameters<typeof LoginForm>[0]) =>
    LoginForm({ ...p, linked: deps.linkedSignIn?.(p.ctx, p.state.next) });
  const cookie = deps.http.cookieName('session');
  const html = (reply: FastifyReply, status = 200) => reply.code(status).type('text/html; charset=utf-8');
  const field = (req: FastifyRequest, name: string) =>
    ((req.body as Form | undefined)?.[name] ?? '').toString();
  /** The refusal as field errors; anything else is a server failure and propagates. */
  const errorsOf = (
    req: FastifyRequest,
    err: unknown,
    form: { fallback: string; fields?: Record<string, string>; present?: readonly string[] },
  ) => {
    if (!isRefusal(err, ['identity.sms_unavailable'])) throw err;
    return fieldErrors(err, pageContext(req), form);
  };
  /** The number as it will be used, for the hidden field of the next step. */
  const shown = (typed: string) => normaliseMobile(typed) ?? typed;
  const ctxOf = (req: FastifyRequest, reply: FastifyReply): SignInContext => ({
    ...signInContext(
      req,
      reply,
      deps.http.secureCookies,
      field(req, 'place') || field(req, 'city') || undefined,
    ),
    reauthenticate: freshSignInAsked(nextOf(req)),
  });
  /** P7.3 a session, or the second-step page (the challenge travels in an httpOnly cookie). */
  const signIn = (reply: FastifyReply, r: SignInResult, next: string | undefined) => {
    applySignIn(reply, r, deps.http.secureCookies);
    if (r.kind === 'second-step') {
      return reply.redirect(withNext('/login/second-step', next), 303);
    }
    return reply.redirect(next ?? '/me/access', 303);
  };
  const page = (req: FastifyRequest, reply: FastifyReply, el: unknown, status = 200) =>
    renderPage(el).then((body) => html(reply, status).send(body));

  app.register(async (scope) => {
    // Guards (attempts per source, cross-site refusal): web/http/guards.table.ts.

    /** The journey's `next` as form state (return-address.ts): kept on every re-rendered step. */
    const nextState = (req: FastifyRequest) => {
      const next = nextOf(req);
      return next ? { next } : {};
    };
    const register = (req: FastifyRequest, reply: FastifyReply, state: RegisterState, status = 200) =>
      page(
        req,
        reply,
        RegisterPage({ ctx: pageContext(req), state: { ...nextState(req), ...state } }),
        status,
      );

    scope.get('/register', (req, reply) => register(req, reply, { step: 'phone' }));

    // Step 1 (and "send a new code"): the same answer for a number with or without an account.
    scope.post('/register/code', async (req, reply) => {
      const typed = field(req, 'phone').trim();
      try {
        await deps.identity.sendCode(typed, 'register', ctxOf(req, reply));
        return register(req, reply, { step: 'code', phone: shown(typed), codeSent: true });
      } catch (err) {
        const errors = errorsOf(req, err, { fallback: 'phone', present: ['phone'] });
        // A resend refused (too soon) keeps the person on the code step.
        const step = field(req, 'send') === '1' && normaliseMobile(typed) ? 'code' : 'phone';
        return register(req, reply, { step, phone: typed, errors }, 400);
      }
    });

    // Step 2: the code alone proves the number; only its holder learns whether it has an account.
    scope.post('/register/verify', async (req, reply) => {
      const phone = field(req, 'phone').trim();
      if (field(req, 'send') === '1') {
        try {
          await deps.identity.sendCode(phone, 'register', ctxOf(req, reply));
          return register(req, reply, { step: 'code', phone: shown(phone), codeSent: true });
        } catch (err) {
          const errors = errorsOf(req, err, { fallback: 'code', present: ['code'] });
          return register(req, reply, { step: 'code', phone, errors }, 400);
        }
      }
      try {
        const proved = await deps.identity.proveRegistrationPhone(phone, field(req, 'code'));
        if (proved.registered) return register(req, reply, { step: 'has-account', phone: shown(phone) });
        return register(req, reply, { step: 'details', phone: shown(phone), proof: proved.proof });
      } catch (err) {
        if (err instanceof AppError && err.code === 'identity.invalid_phone') {
          const errors = errorsOf(req, err, { fallback: 'phone' });
          return register(req, reply, { step: 'phone', phone, errors }, 400);
        }
        const errors = errorsOf(req, err, { fallback: 'code', present: ['code'] });
        return register(req, reply, { step: 'code', phone, errors }, 400);
      }
    });

    // Step 3: the details, with the proof of the number.
    scope.post('/register', async (req, reply) => {
      const r = {
        phone: field(req, 'phone').trim(),
        proof: field(req, 'proof'),
        password: field(req, 'password'),
        name: field(req, 'name'),
        idNumber: field(req, 'idNumber'),
      };
      try {
        return signIn(reply, await deps.identity.register(r, ctxOf(req, reply)), nextOf(req));
      } catch (err) {
        if (err instanceof AppError && err.code === 'identity.phone_registered')
          return register(req, reply, { step: 'has-account', phone: r.phone });
        if (
          err instanceof AppError &&
          (err.code === 'identity.registration_expired' || err.code === 'identity.invalid_phone')
        ) {
          const errors = errorsOf(req, err, { fallback: 'phone', present: ['phone'] });
          return register(req, reply, { step: 'phone', phone: r.phone, errors }, 400);
        }
        const errors = errorsOf(req, err, {
          fallback: 'name',
          present: ['name', 'idNumber', 'password'],
        });
        const state: RegisterState = {
          step: 'details',
          phone: r.phone,
          proof: r.proof,
          name: r.name,
          idNumber: r.idNumber,
          errors,
        };
        return register(req, reply, state, 400);
      }
    });

    scope.get<{ Querystring: { next?: string; ended?: string } }>('/login', (req, reply) => {
      const state: FormState = { ...nextState(req), ...(req.query.ended === '1' ? { ended: true } : {}) };
      return page(req, reply, LoginPage({ ctx: pageContext(req), mode: 'password', state }));
    });

    scope.post<{ Querystring: { next?: string } }>('/login', async (req, reply) => {
      const next = nextOf(req);
      const phone = field(req, 'phone').trim();
      try {
        const r = await deps.identity.loginWithPassword(phone, field(req, 'password'), ctxOf(req, reply));
        return signIn(reply, r, next);
      } catch (err) {
        const errors = errorsOf(req, err, {
          fallback: 'password',
          fields: { 'identity.invalid_credentials': 'password' },
        });
        const state = { phone, errors, ...(next ? { next } : {}) };
        return page(req, reply, LoginPage({ ctx: pageContext(req), mode: 'password', state }), 401);
      }
    });

    scope.get<{ Querystring: { next?: string } }>('/login/code', (req, reply) => {
      const next = nextOf(req);
      return page(
        req,
        reply,
        LoginPage({ ctx: pageContext(req), mode: 'code', state: next ? { next } : {} }),
      );
    });

    scope.post<{ Querystring: { next?: string } }>('/login/code', async (req, reply) => {
      const next = nextOf(req);
      const phone = field(req, 'phone').trim();
      const state: FormState = { phone, ...(next ? { next } : {}) };
      try {
        if (field(req, 'send') === '1') {
          await deps.identity.sendCode(phone, 'login', ctxOf(req, reply));
          state.codeSent = true;
        } else {
          const r = await deps.identity.loginWithCode(phone, field(req, 'code').trim(), ctxOf(req, reply));
          return signIn(reply, r, next);
        }
      } catch (err) {
        // A refused resend from the code step stays on the code step (its form has the code field).
        state.codeSent = field(req, 'send') !== '1' || (req.body as Form | undefined)?.code !== undefined;
        state.errors = errorsOf(req, err, {
          fallback: state.codeSent ? 'code' : 'phone',
          fields: { 'identity.invalid_credentials': 'code' },
          present: state.codeSent ? ['phone', 'code'] : ['phone'],
        });
      }
      return page(
        req,
        reply,
        LoginPage({ ctx: pageContext(req), mode: 'code', state }),
        state.errors ? 400 : 200,
      );
    });

    scope.get('/login/reset', (req, reply) =>
      page(req, reply, ResetPage({ ctx: pageContext(req), state: nextState(req) })),
    );

    scope.post('/login/reset', async (req, reply) => {
      const phone = field(req, 'phone').trim();
      const state: FormState = { phone, ...nextState(req) };
      try {
        if (field(req, 'send') === '1') {
          await deps.identity.sendCode(phone, 'reset', ctxOf(req, reply));
          state.codeSent = true;
        } else {
          const r = await deps.identity.resetPassword(
            phone,
            field(req, 'code').trim(),
            field(req, 'password'),
            ctxOf(req, reply),
          );
          return signIn(reply, r, nextOf(req) ?? '/me/security');
        }
      } catch (err) {
        state.codeSent = field(req, 'send') !== '1' || (req.body as Form | undefined)?.code !== undefined;
        state.errors = errorsOf(req, err, {
          fallback: state.codeSent ? 'code' : 'phone',
          present: state.codeSent ? ['phone', 'code', 'password'] : ['phone'],
        });
      }
      return page(req, reply, ResetPage({ ctx: pageContext(req), state }), state.errors ? 400 : 200);
    });

    registerSecondStepPages(scope, {
      identity: deps.identity,
      http: deps.http,
      page,
    });

    scope.post('/logout', async (req, reply) => {
      const token = req.cookies[cookie];
      if (token) await deps.identity.signOut(token);
      reply.clearCookie(cookie, { path: '/' });
      return reply.redirect('/', 303);
    });
  });
}

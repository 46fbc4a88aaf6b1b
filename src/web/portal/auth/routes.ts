/**
 * Registration and sign-in pages over the identity service. A refusal re-renders the form
 * with the error's title in the page language and keeps what the person typed (never the
 * password or code). Every step carries the journey's `next` (return-address.ts): a person
 * sent by a service and taking the register or forgotten-password path ends back there.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import {
  type IdentityService,
  type SignInContext,
  type SignInResult,
} from '../../../modules/signin/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { applySignIn, signInContext } from '../../http/sign-in.ts';
import { nextOf, withNext } from '../../http/return-address.ts';
import { limitAttempts } from '../../../shared/http/attempts.ts';
import { refuseCrossSite } from '../../../shared/http/security.ts';
import type { Limiter } from '../../../shared/limits.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { LoginPage as LoginForm, RegisterPage, ResetPage, type FormState } from './view.tsx';
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
    perMinute: number;
    limiter: Limiter;
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
  const errorText = (req: FastifyRequest, err: unknown): string => {
    if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'identity.sms_unavailable'))
      throw err;
    return errorSpec(err.code).title[pageContext(req).locale];
  };
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
    // Attempts per source address and policy (shared with the pages/API of the same step),
    // on top of the per-number and per-account rules of the service.
    limitAttempts(scope, { limiter: deps.limiter, perMinute: deps.perMinute });
    scope.addHook('preHandler', refuseCrossSite);

    /** The journey's `next` as form state: kept on every re-rendered step. */
    const nextState = (req: FastifyRequest) => {
      const next = nextOf(req);
      return next ? { next } : {};
    };

    scope.get('/register', (req, reply) =>
      page(req, reply, RegisterPage({ ctx: pageContext(req), state: nextState(req) })),
    );

    scope.post('/register/code', async (req, reply) => {
      const state: FormState = { phone: field(req, 'phone').trim(), ...nextState(req) };
      try {
        await deps.identity.sendCode(state.phone!, 'register', ctxOf(req, reply));
        state.codeSent = true;
      } catch (err) {
        state.error = errorText(req, err);
      }
      return page(req, reply, RegisterPage({ ctx: pageContext(req), state }), state.error ? 400 : 200);
    });

    scope.post('/register', async (req, reply) => {
      const r = {
        phone: field(req, 'phone').trim(),
        code: field(req, 'code').trim(),
        password: field(req, 'password'),
        name: field(req, 'name'),
        idNumber: field(req, 'idNumber').trim(),
      };
      try {
        return signIn(reply, await deps.identity.register(r, ctxOf(req, reply)), nextOf(req));
      } catch (err) {
        const state = {
          ...nextState(req),
          phone: r.phone,
          name: r.name,
          idNumber: r.idNumber,
          codeSent: true,
          error: errorText(req, err),
        };
        return page(req, reply, RegisterPage({ ctx: pageContext(req), state }), 400);
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
        const state = { phone, error: errorText(req, err), ...(next ? { next } : {}) };
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
        state.error = errorText(req, err);
        state.codeSent = field(req, 'send') !== '1';
      }
      return page(
        req,
        reply,
        LoginPage({ ctx: pageContext(req), mode: 'code', state }),
        state.error ? 400 : 200,
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
        state.error = errorText(req, err);
        state.codeSent = field(req, 'send') !== '1';
      }
      return page(req, reply, ResetPage({ ctx: pageContext(req), state }), state.error ? 400 : 200);
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

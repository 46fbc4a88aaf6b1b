/**
 * P7.3 second-step pages. The pending challenge travels in an httpOnly cookie set when the
 * sign-in asked for it; a wrong code re-renders the page with the reason, a spent
 * challenge offers only "sign in again".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { applySignIn } from '../../http/sign-in.ts';
import { AppError } from '../../../kernel/errors.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { nextOf } from '../../http/return-address.ts';
import { pageContext } from '../../context.ts';
import { codeFieldOf, SecondStepPage, type StepState } from './view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | undefined>;
const SPENT = ['identity.second_step_expired', 'identity.second_step_locked', 'identity.second_step_method'];

export function registerSecondStepPages(
  scope: FastifyInstance,
  deps: {
    identity: IdentityService;
    http: HttpPolicy;
    page: (req: FastifyRequest, reply: FastifyReply, el: unknown, status?: number) => Promise<unknown>;
  },
): void {
  const step = deps.identity.secondStep;
  const tokenOf = (req: FastifyRequest) => req.cookies[deps.http.cookieName('step')];
  const field = (req: FastifyRequest, name: string) =>
    ((req.body as Form | undefined)?.[name] ?? '').toString();

  /** Renders the page for this challenge, with an error if there is one. */
  async function render(req: FastifyRequest, reply: FastifyReply, extra: Partial<StepState>, status = 200) {
    const ctx = pageContext(req);
    const next = nextOf(req);
    let state: StepState = { methods: [], reasons: [], next, ...extra };
    try {
      state = { ...state, ...(await step.pending(tokenOf(req))) };
    } catch (err) {
      if (!(err instanceof AppError) || !SPENT.includes(err.code)) throw err;
      // Only "sign in again" is left: the summary links to it.
      const [spent] = fieldErrors(err, ctx, { fallback: 'sign-in-again' });
      state = {
        ...state,
        over: true,
        errors: [{ field: 'sign-in-again', message: extra.errors?.[0]?.message ?? spent!.message }],
      };
      status = Math.max(status, 400);
    }
    return deps.page(req, reply, SecondStepPage({ ctx, state }), status);
  }

  /** A refusal tied to the code field of the method answered (or the SMS button). */
  const failure = (
    req: FastifyRequest,
    err: unknown,
    method?: 'totp' | 'recovery-code' | 'sms',
  ): Partial<StepState> => {
    if (!isRefusal(err, ['identity.sms_unavailable'])) throw err;
    const field = method ? codeFieldOf(method) : 'send-sms';
    return {
      errors: fieldErrors(err, pageContext(req), { fallback: field, present: [field] }),
      answered: method,
    };
  };

  scope.get('/login/second-step', (req, reply) => render(req, reply, {}));

  scope.post('/login/second-step/send', async (req, reply) => {
    try {
      await step.sendSms(tokenOf(req), pageContext(req).locale, req.id);
      return render(req, reply, { smsSent: true });
    } catch (err) {
      // A refused resend from the code form keeps that form (its code field has the error).
      const resent = (req.body as Form | undefined)?.code !== undefined;
      return render(req, reply, { ...failure(req, err, resent ? 'sms' : undefined), smsSent: resent }, 400);
    }
  });

  scope.post('/login/second-step', async (req, reply) => {
    const method = field(req, 'method');
    if (method !== 'totp' && method !== 'recovery-code' && method !== 'sms') {
      return render(req, reply, failure(req, new AppError('identity.second_step_method')), 400);
    }
    try {
      const r = await step.withCode(
        tokenOf(req),
        method,
        field(req, 'code'),
        req.id,
        pageContext(req).locale,
      );
      applySignIn(reply, r, deps.http.secureCookies);
      return reply.redirect(nextOf(req) ?? '/me/access', 303);
    } catch (err) {
      return render(req, reply, { ...failure(req, err, method), smsSent: method === 'sms' }, 400);
    }
  });
}

/**
 * P7.3 P8.3 fresh proof before a sensitive change, for every page that makes one (the one
 * helper: /me/security's factor changes, /me/password, /me/phone, confirming a rights request).
 *
 * Rules:
 * - Without a proof within 5 minutes (signin/reauth.ts), the page asks for one and names
 *   the change it is for; the form posts back to the same address with the fields of the
 *   first POST carried along, then the change runs.
 * - P8.3 the person may ask for a code by SMS to their verified phone (`reauth=send`),
 *   within the sign-in code limits, and type it instead of the password or an app code.
 * - A wrong proof re-asks with the refusal on its field; the fifth ends the session and
 *   the browser goes to the sign-in page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { deviceLabel, type CitizenSessions } from '../../../modules/session/index.ts';
import type { ChangeContext, IdentityService } from '../../../modules/signin/index.ts';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { ReauthPage } from './reauth.tsx';

type Form = Record<string, string | undefined>;
/** The fields of the proof form itself (reauth.tsx). */
const PROOF_FIELDS = new Set(['reauth', 'password', 'code', 'sms']);

/** The changes that ask for fresh proof; each names itself on the page (`reauth.why.*`). */
export type ProvenChange =
  | 'totp-remove'
  | 'passkey-remove'
  | 'recovery-codes'
  | 'password'
  | 'phone'
  | 'rights-request'
  | 'export'
  | 'close';

/** What a change needs of the request: who, which browser, the page language. */
export function changeContext(req: FastifyRequest, http: HttpPolicy): ChangeContext {
  return {
    token: req.cookies[http.cookieName('session')],
    device: deviceLabel(req.headers['user-agent']),
    locale: pageContext(req).locale,
    requestId: req.id,
    source: req.ip,
  };
}

interface Ask {
  /** Where the proof form posts (default: this request's own address). */
  action?: string;
  carry?: Record<string, string>;
  /** A longer reason under the change's name (what the archive holds, say). */
  detail?: string | undefined;
  error?: string;
  errorField?: 'reauth-password' | 'reauth-sms';
  sent?: boolean;
}

export function freshProof(deps: { sessions: CitizenSessions; identity: IdentityService; http: HttpPolicy }) {
  const reauth = deps.identity.reauth;
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

  /** The page asking for the proof. */
  const askFor = async (req: FastifyRequest, reply: FastifyReply, why: ProvenChange, o: Ask) => {
    const ctx = pageContext(req);
    const subjectId = req.principal.citizen!.subjectId;
    const phone = req.principal.signedInAs?.phone;
    const totp = (await deps.identity.factors.overview(subjectId)).totp === 'active';
    const page = ReauthPage({
      ctx,
      action: o.action ?? req.url,
      why: ctx.t(`reauth.why.${why}` as MessageKey),
      detail: o.detail,
      totp,
      sms: phone ? { phone, sent: !!o.sent } : undefined,
      error: o.error,
      errorField: o.errorField,
      carry: o.carry ?? {},
    });
    return html(reply, await renderPage(page), o.error ? 400 : 200);
  };

  async function withFreshProof(
    req: FastifyRequest,
    reply: FastifyReply,
    why: ProvenChange,
    change: (c: ChangeContext) => Promise<unknown>,
    opts: { carry?: readonly string[]; detail?: string } = {},
  ): Promise<unknown> {
    const ctx = pageContext(req);
    const c = changeContext(req, deps.http);
    const subjectId = req.principal.citizen!.subjectId;
    const body = (req.body as Form) ?? {};
    // A carried field named like a proof field would be read as the proof.
    if (opts.carry?.some((n) => PROOF_FIELDS.has(n)))
      throw new Error(`cannot carry ${opts.carry.join(', ')}`);
    const carry: Record<string, string> = {};
    for (const name of ['confirm', ...(opts.carry ?? [])]) {
      const v = body[name];
      if (typeof v === 'string' && v !== '') carry[name] = v;
    }
    const ask = (o: Omit<Ask, 'carry' | 'detail'> = {}) =>
      askFor(req, reply, why, { ...o, carry, detail: opts.detail });
    const refusal = (err: unknown) => {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return errorSpec(err.code).title[ctx.locale];
    };
    if (!(await reauth.fresh(c.token))) {
      if (body.reauth === 'send') {
        try {
          await reauth.sendCode(subjectId, c);
        } catch (err) {
          return ask({ error: refusal(err), errorField: 'reauth-sms', sent: true });
        }
        return ask({ sent: true });
      }
      if (body.reauth !== '1') return ask();
      const sms = body.sms?.trim();
      try {
        await reauth.prove(subjectId, { password: body.password, code: body.code?.trim(), sms }, c);
      } catch (err) {
        const error = refusal(err);
        // The fifth wrong proof ended the session.
        if (!(await deps.sessions.subjectOf(c.token))) return reply.redirect('/login', 303);
        return sms ? ask({ error, errorField: 'reauth-sms', sent: true }) : ask({ error });
      }
    }
    return change(c);
  }

  return Object.assign(withFreshProof, {
    /** Whether this session proved the person within the last minutes. */
    fresh: (req: FastifyRequest) => reauth.fresh(changeContext(req, deps.http).token),
    /** Asks for the proof from a GET (the form posts to `action`, which proves and moves on). */
    ask: (
      req: FastifyRequest,
      reply: FastifyReply,
      why: ProvenChange,
      o: { action: string; detail?: string },
    ) => askFor(req, reply, why, o),
  });
}

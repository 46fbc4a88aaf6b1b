/**
 * "My account" and the person's own credential changes (issue 14):
 * - P8.1.view GET /me: name, ID number and phone masked, e-mail, level and how it was reached,
 *   account since; a link to change each and to the other /me pages.
 * - P8.3 P7.3 /me/password: the current password, or fresh proof (fresh-proof.ts) instead;
 *   the rules are the sign-in module's (signin/account-changes.ts).
 * - P8.1.correct /me/phone: fresh proof, the new number's code, then the old number's code or
 *   a second factor (signin/account-changes.ts, ADR 0035).
 * A refusal re-renders the page in the person's language on its field, keeping what was
 * typed except passwords and codes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskIdNumber, maskPhone } from '../../../kernel/mask.ts';
import type { EmailService } from '../../../modules/notify/index.ts';
import type { CitizenSessions } from '../../../modules/session/index.ts';
import type { IdentityService, PhoneChangeProof } from '../../../modules/signin/index.ts';
import type { VaultService } from '../../../modules/vault/index.ts';
import type { VerificationService } from '../../../modules/verification/index.ts';
import { pageContext } from '../../context.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { changeContext, freshProof } from '../security/fresh-proof.ts';
import { AccountPage, PasswordPage, PhonePage, type PhoneView } from './view.tsx';

type Form = Record<string, string | undefined>;

const notices: Record<string, MessageKey> = {
  password: 'account.password.done',
  phone: 'account.phone.done',
};

export function registerAccountPages(
  app: FastifyInstance,
  deps: {
    vault: VaultService;
    identity: IdentityService;
    sessions: CitizenSessions;
    email: EmailService;
    verification: VerificationService;
    http: HttpPolicy;
  },
): void {
  const me = (req: FastifyRequest) => req.principal.citizen!.subjectId;
  const field = (req: FastifyRequest, name: string) => String((req.body as Form | undefined)?.[name] ?? '');
  const html = async (reply: FastifyReply, el: unknown, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(el));
  const withFreshProof = freshProof(deps);
  const changes = deps.identity.changes;

  // P8.1.view one self read of the vault (a self read, which the access log does not list).
  app.get<{ Querystring: { notice?: string } }>('/me', async (req, reply) => {
    const ctx = pageContext(req);
    const subjectId = me(req);
    const [read, email, account, verification] = await Promise.all([
      deps.vault.read({
        subjectId,
        actor: { type: 'self', id: subjectId, label: 'self' },
        // The purpose the name and ID number were collected for; it covers the phone too.
        purpose: 'real-name-verification',
        basis: { type: 'self' },
        fields: ['name', 'id_number', 'phone'],
        requestId: req.id,
      }),
      deps.email.overview(subjectId),
      deps.identity.accountOverview(subjectId),
      deps.verification.status(subjectId),
    ]);
    const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' });
    const reached = verification.attempts
      .filter((a) => a.state === 'matched')
      .map((a) => `L${a.level} · ${ctx.t(`account.me.how.${a.method}`)} (${date.format(a.createdAt)})`);
    const since = account?.since ?? new Date();
    const { name, id_number: idNumber, phone } = read.values;
    const notice = notices[req.query.notice ?? ''];
    return html(
      reply,
      AccountPage({
        ctx,
        notice: notice ? ctx.t(notice) : undefined,
        v: {
          name,
          idNumber: idNumber ? maskIdNumber(idNumber) : undefined,
          phone: phone ? maskPhone(phone) : undefined,
          email: email.verified?.address,
          level: verification.level,
          how: [...reached, `L1 · ${ctx.t('account.me.how.registered')} (${date.format(since)})`],
          since: date.format(since),
        },
      }),
    );
  });

  // P8.3 the password page: the current password, unless the session proved the person just now.
  const passwordPage = async (req: FastifyRequest, reply: FastifyReply, err?: unknown) => {
    const ctx = { ...pageContext(req), path: '/me/password' };
    let errors;
    if (err !== undefined) {
      if (!isRefusal(err)) throw err;
      errors = fieldErrors(err, ctx, {
        fallback: 'password',
        fields: {
          'identity.reauth_failed': 'current',
          'identity.current_password_required': 'current',
          'identity.weak_password': 'password',
          'identity.common_password': 'password',
        },
      });
    }
    const fresh = await deps.identity.reauth.fresh(changeContext(req, deps.http).token);
    return html(reply, PasswordPage({ ctx, fresh, errors }), errors ? 400 : 200);
  };

  app.get('/me/password', (req, reply) => passwordPage(req, reply));

  app.post('/me/password', async (req, reply) => {
    const c = changeContext(req, deps.http);
    try {
      await changes.changePassword(
        me(req),
        { current: field(req, 'current'), password: field(req, 'password') },
        c,
      );
    } catch (err) {
      // The fifth wrong current password ended the session.
      if (!(await deps.sessions.subjectOf(c.token))) return reply.redirect('/login', 303);
      return passwordPage(req, reply, err);
    }
    return reply.redirect('/me?notice=password', 303);
  });

  // "Use a code instead": fresh proof by SMS code or app code, then back to the form.
  app.post('/me/password/step-up', (req, reply) =>
    withFreshProof(req, reply, 'password', async () => reply.redirect('/me/password', 303)),
  );

  // P8.1.correct the phone change, one page per step; every step re-checks what the last proved.
  const phonePage = async (req: FastifyRequest, reply: FastifyReply, v: PhoneView, err?: unknown) => {
    const ctx = { ...pageContext(req), path: '/me/phone' };
    let errors;
    if (err !== undefined) {
      if (!isRefusal(err, ['identity.sms_unavailable'])) throw err;
      errors = fieldErrors(err, ctx, {
        fallback: v.proven ? 'oldCode' : v.sentTo ? 'newCode' : 'phone',
        fields: {
          'identity.invalid_phone': 'phone',
          'identity.phone_same': 'phone',
          'identity.phone_unusable': 'phone',
          'identity.phone_change_expired': 'phone',
          'identity.second_proof_failed': v.proven?.factors ? 'factor' : 'oldCode',
          'identity.code_invalid': v.proven ? 'oldCode' : 'newCode',
          'identity.code_used_up': v.proven ? 'oldCode' : 'newCode',
        },
      });
    }
    const current = req.principal.signedInAs?.phone;
    return html(
      reply,
      PhonePage({ ctx, v: { current, ...v, errors } }),
      errors ? (err as { status: number }).status : 200,
    );
  };
  const hasFactors = async (subjectId: string) => {
    const f = await deps.identity.factors.overview(subjectId);
    return f.totp === 'active' || f.recoveryCodesLeft > 0;
  };
  const provenView = async (
    req: FastifyRequest,
    p: PhoneChangeProof,
    oldSent = false,
  ): Promise<PhoneView> => ({
    proven: { ...p, oldSent, factors: await hasFactors(me(req)) },
  });

  app.get('/me/phone', (req, reply) => phonePage(req, reply, {}));

  app.post('/me/phone', (req, reply) =>
    withFreshProof(
      req,
      reply,
      'phone',
      async (c) => {
        const typed = field(req, 'phone');
        try {
          const sentTo = await changes.beginPhoneChange(me(req), typed, c);
          return phonePage(req, reply, { sentTo });
        } catch (err) {
          return phonePage(req, reply, { typed }, err);
        }
      },
      { carry: ['phone'] },
    ),
  );

  app.post('/me/phone/verify', (req, reply) =>
    withFreshProof(
      req,
      reply,
      'phone',
      async (c) => {
        const typed = field(req, 'phone');
        try {
          const proven = await changes.proveNewPhone(me(req), typed, field(req, 'newCode'), c);
          return phonePage(req, reply, await provenView(req, proven));
        } catch (err) {
          const refused =
            isRefusal(err) && ['identity.phone_unusable', 'identity.invalid_phone'].includes(err.code);
          return phonePage(req, reply, refused ? { typed } : { sentTo: typed }, err);
        }
      },
      { carry: ['phone', 'newCode'] },
    ),
  );

  /** Refusals that send the person back to step 1: the proof of the new number no longer holds. */
  const restarts = (err: unknown) =>
    isRefusal(err) &&
    ['identity.phone_change_expired', 'identity.phone_unusable', 'identity.invalid_phone'].includes(err.code);
  const proofOf = (req: FastifyRequest): PhoneChangeProof => ({
    phone: field(req, 'phone'),
    proof: field(req, 'proof'),
  });

  app.post('/me/phone/old-code', async (req, reply) => {
    const p = proofOf(req);
    try {
      await changes.sendOldPhoneCode(me(req), p, changeContext(req, deps.http));
      return phonePage(req, reply, await provenView(req, p, true));
    } catch (err) {
      return phonePage(req, reply, restarts(err) ? { typed: p.phone } : await provenView(req, p), err);
    }
  });

  app.post('/me/phone/confirm', async (req, reply) => {
    const p = proofOf(req);
    const c = changeContext(req, deps.http);
    try {
      await changes.confirmPhoneChange(
        me(req),
        { ...p, oldCode: field(req, 'oldCode'), factor: field(req, 'factor') },
        c,
      );
    } catch (err) {
      // The fifth wrong proof ended the session.
      if (!(await deps.sessions.subjectOf(c.token))) return reply.redirect('/login', 303);
      return phonePage(req, reply, restarts(err) ? { typed: p.phone } : await provenView(req, p, true), err);
    }
    return reply.redirect('/me?notice=phone', 303);
  });
}

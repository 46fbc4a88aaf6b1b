/**
 * A lost phone at the service hall (issue 14 item 1; P8.1.correct). Each step looks the
 * account up again from the checked document (verification's look-up) and refuses when the
 * number now points elsewhere, so a hidden field is never trusted to name the account. The
 * binding itself is the sign-in module's (signin/hall-recovery.ts). A refusal is shown with
 * what was typed, never a 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../kernel/errors.ts';
import { deviceLabel } from '../../../modules/session/index.ts';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { verificationErrors, type VerificationService } from '../../../modules/verification/index.ts';
import { pageContext } from '../../context.ts';
import { field, refusalOf, sendPage } from '../refusal.tsx';
import { HallPhonePage, type HallPhoneForm } from './view.tsx';

export function registerHallPhonePages(
  app: FastifyInstance,
  deps: { verification: VerificationService; identity: IdentityService },
) {
  const formOf = (body: unknown): HallPhoneForm => ({
    idNumber: field(body, 'idNumber').trim().slice(0, 40),
    documentKind: field(body, 'documentKind').slice(0, 40),
    faceCompared: field(body, 'faceCompared') === '1',
    phone: field(body, 'phone').trim().slice(0, 30),
  });
  const ctxOf = (req: FastifyRequest) => ({
    locale: pageContext(req).locale,
    requestId: req.id,
    source: req.ip,
    device: deviceLabel(req.headers['user-agent']),
  });
  /** The account the checked document points at, and the one the form named must be it. */
  const accountOf = async (req: FastifyRequest, form: HallPhoneForm, named?: string) => {
    const account = await deps.verification.reclaim.holderOf(req.principal.staff!, form, req.id);
    if (!account) throw new AppError(verificationErrors.person_not_found);
    if (named !== undefined && named !== account.subjectId)
      throw new AppError(verificationErrors.holder_changed);
    return account;
  };
  const show = (
    req: FastifyRequest,
    reply: FastifyReply,
    view: Omit<Parameters<typeof HallPhonePage>[0], 'ctx'>,
    status = 200,
  ) => sendPage(reply, HallPhonePage({ ctx: pageContext(req), ...view }), status);

  app.register(async (scope) => {
    scope.get('/admin/verify/phone', (req, reply) =>
      show(req, reply, { form: { idNumber: '', documentKind: '', faceCompared: false, phone: '' } }),
    );

    scope.post('/admin/verify/phone', async (req, reply) => {
      const form = formOf(req.body);
      try {
        return await show(req, reply, { form, account: await accountOf(req, form) });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form, refusal }, refusal.status);
      }
    });

    scope.post('/admin/verify/phone/code', async (req, reply) => {
      const form = formOf(req.body);
      let account;
      try {
        account = await accountOf(req, form, field(req.body, 'account'));
        await deps.identity.hallRecovery.sendCode(
          req.principal.staff!,
          account.subjectId,
          form.phone,
          ctxOf(req),
        );
        return await show(req, reply, { form, account, codeSent: true });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form, account, refusal }, refusal.status);
      }
    });

    scope.post('/admin/verify/phone/bind', async (req, reply) => {
      const form = formOf(req.body);
      let account;
      try {
        account = await accountOf(req, form, field(req.body, 'account'));
        await deps.identity.hallRecovery.bind(
          req.principal.staff!,
          account.subjectId,
          { phone: form.phone, code: field(req.body, 'code') },
          ctxOf(req),
        );
        const empty = { idNumber: '', documentKind: '', faceCompared: false, phone: '' };
        return await show(req, reply, { form: empty, bound: true });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form, account, refusal, codeSent: !!account }, refusal.status);
      }
    });
  });
}

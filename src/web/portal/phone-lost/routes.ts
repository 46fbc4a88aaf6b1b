/**
 * /login/phone-lost: a person whose phone is lost binds a new number themself (L1–L2), with
 * a code to the new number, their name and ID number (checked against the account and the
 * population registry) and a second factor (signin/self-recovery.ts holds the rules).
 *
 * Rules:
 * - Signed out, limited per source like a password reset (`limit:reset|code`), and the
 *   service counts guesses per account and per ID number.
 * - A refusal about the account is one message for every cause, beside the second-factor
 *   field, saying where to go instead; what was typed is kept, codes never are.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { pageContext } from '../../context.ts';
import { deviceLabel } from '../../../modules/session/index.ts';
import { renderPage } from '../../layout.tsx';
import { PhoneLostPage, type PhoneLostState } from './view.tsx';

type Form = Record<string, string | undefined>;

export function registerPhoneLostPages(app: FastifyInstance, deps: { identity: IdentityService }): void {
  const page = async (req: FastifyRequest, reply: FastifyReply, state: PhoneLostState, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(PhoneLostPage({ ctx: pageContext(req), state })));

  app.get('/login/phone-lost', (req, reply) => page(req, reply, {}));

  app.post('/login/phone-lost', async (req, reply) => {
    const body = (req.body ?? {}) as Form;
    const ctx = pageContext(req);
    const c = {
      locale: ctx.locale,
      requestId: req.id,
      source: req.ip,
      device: deviceLabel(req.headers['user-agent']),
    };
    const state: PhoneLostState = {
      phone: (body.phone ?? '').trim().slice(0, 30),
      name: (body.name ?? '').trim().slice(0, 100),
      idNumber: (body.idNumber ?? '').trim().slice(0, 30),
    };
    const sending = body.send === '1';
    try {
      if (sending) {
        state.phone = await deps.identity.selfRecovery.sendCode(state.phone ?? '', c);
        return await page(req, reply, { ...state, codeSent: true });
      }
      await deps.identity.selfRecovery.recover(
        {
          phone: state.phone ?? '',
          code: body.code ?? '',
          name: state.name ?? '',
          idNumber: state.idNumber ?? '',
          factor: (body.factor ?? '').slice(0, 40),
        },
        c,
      );
      return await page(req, reply, { done: true });
    } catch (err) {
      if (!isRefusal(err, ['identity.sms_unavailable'])) throw err;
      const errors = fieldErrors(err, ctx, {
        fallback: sending ? 'phone' : 'factor',
        fields: { 'identity.recovery_needs_level': 'factor', 'identity.phone_unusable': 'phone' },
        present: sending ? ['phone'] : ['phone', 'code', 'name', 'idNumber', 'factor'],
      });
      return page(req, reply, { ...state, codeSent: !sending, errors }, err.status);
    }
  });
}

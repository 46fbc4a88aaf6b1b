/**
 * The service hall's ID-number reclaim (issue 14 item 10; P2.1). The rules are the
 * verification module's (verification.reclaim.ts): the page looks the number up only after
 * the document and face checks are ticked, shows the holding account, and releases the
 * number only when the staff member confirms it is not the person's own. A refusal is shown
 * with what was typed, never a 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verificationErrors, type VerificationService } from '../../../modules/verification/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { field, refusalOf, sendPage } from '../refusal.tsx';
import { ReclaimPage, type ReclaimForm } from './view.tsx';

export function registerReclaimPages(app: FastifyInstance, deps: { verification: VerificationService }) {
  const { reclaim } = deps.verification;
  const formOf = (body: unknown): ReclaimForm => ({
    idNumber: field(body, 'idNumber').trim().slice(0, 40),
    documentKind: field(body, 'documentKind').slice(0, 40),
    faceCompared: field(body, 'faceCompared') === '1',
  });
  const refused = (req: FastifyRequest, reply: FastifyReply, form: ReclaimForm, err: unknown) => {
    const refusal = refusalOf(err, pageContext(req).locale);
    return sendPage(reply, ReclaimPage({ ctx: pageContext(req), form, refusal }), refusal.status);
  };

  app.register(async (scope) => {
    scope.get('/admin/verify/reclaim', (req, reply) =>
      sendPage(
        reply,
        ReclaimPage({ ctx: pageContext(req), form: { idNumber: '', documentKind: '', faceCompared: false } }),
      ),
    );

    scope.post('/admin/verify/reclaim', async (req, reply) => {
      const form = formOf(req.body);
      try {
        const held = await reclaim.holderOf(req.principal.staff!, form, req.id);
        return await sendPage(reply, ReclaimPage({ ctx: pageContext(req), form, held }));
      } catch (err) {
        return refused(req, reply, form, err);
      }
    });

    scope.post('/admin/verify/reclaim/release', async (req, reply) => {
      const form = formOf(req.body);
      try {
        if (field(req.body, 'notTheirs') !== '1') throw new AppError(verificationErrors.holder_not_confirmed);
        await reclaim.release(req.principal.staff!, { ...form, holder: field(req.body, 'holder') }, req.id);
        const empty = { idNumber: '', documentKind: '', faceCompared: false };
        return await sendPage(reply, ReclaimPage({ ctx: pageContext(req), form: empty, released: true }));
      } catch (err) {
        return refused(req, reply, form, err);
      }
    });
  });
}

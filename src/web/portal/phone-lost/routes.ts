/**
 * /login/phone-lost: a person whose phone is lost binds a new number themself, with a code to
 * the new number, their name and ID number, and at L1–L2 a second factor (the population
 * registry confirms name and number), at L3 a photo of their face taken now
 * (signin/self-recovery.ts holds the rules).
 *
 * Rules:
 * - Signed out, limited per source like a password reset (`limit:reset|code`), and the
 *   service counts guesses per account and per ID number.
 * - A refusal about the account is one message for every cause, beside the second-factor
 *   field, saying where to go instead; what was typed is kept, codes and photos never are.
 * - The second step's form is multipart (the photo); the first, sending the code, is not.
 *   Without a photo the second factor is used.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_IMAGE_BYTES } from '../../../modules/verification/index.ts';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { pageContext } from '../../context.ts';
import { deviceLabel } from '../../../modules/session/index.ts';
import { renderPage } from '../../layout.tsx';
import { PhoneLostPage, type PhoneLostState } from './view.tsx';

type Form = Record<string, string | undefined>;

/** The fields of a multipart post, and its photo when one was taken (an image, not empty). */
async function readMultipart(req: FastifyRequest): Promise<{ body: Form; image?: Buffer }> {
  const body: Form = {};
  let image: Buffer | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (!part.mimetype.startsWith('image/') || image) {
        part.file.resume();
        continue;
      }
      const bytes = await part.toBuffer();
      if (bytes.length > 0) image = bytes;
    } else if (typeof part.value === 'string') body[part.fieldname] = part.value;
  }
  return { body, ...(image ? { image } : {}) };
}

export function registerPhoneLostPages(app: FastifyInstance, deps: { identity: IdentityService }): void {
  const page = async (req: FastifyRequest, reply: FastifyReply, state: PhoneLostState, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(PhoneLostPage({ ctx: pageContext(req), state })));

  app.get('/login/phone-lost', (req, reply) => page(req, reply, {}));

  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 8 } });
    scope.post('/login/phone-lost', (req, reply) => post(req, reply));
  });

  const post = async (req: FastifyRequest, reply: FastifyReply) => {
    let image: Buffer | undefined;
    let body = (req.body ?? {}) as Form;
    const ctx = pageContext(req);
    const c = {
      locale: ctx.locale,
      requestId: req.id,
      source: req.ip,
      device: deviceLabel(req.headers['user-agent']),
    };
    const state: PhoneLostState = {};
    try {
      if (req.isMultipart()) ({ body, image } = await readMultipart(req));
    } catch {
      // Too large, or cut off: nothing typed survives a broken upload; the page says why.
      const errors = [{ field: 'photo', message: ctx.t('phoneLost.photoUnreadable') }];
      return page(req, reply, { codeSent: true, errors }, 400);
    }
    state.phone = (body.phone ?? '').trim().slice(0, 30);
    state.name = (body.name ?? '').trim().slice(0, 100);
    state.idNumber = (body.idNumber ?? '').trim().slice(0, 30);
    const sending = body.send === '1';
    try {
      if (sending) {
        state.phone = await deps.identity.selfRecovery.sendCode(state.phone ?? '', c);
        return await page(req, reply, { ...state, codeSent: true });
      }
      const claim = {
        phone: state.phone ?? '',
        code: body.code ?? '',
        name: state.name ?? '',
        idNumber: state.idNumber ?? '',
      };
      if (image) await deps.identity.selfRecovery.recoverByFace({ ...claim, image }, c);
      else
        await deps.identity.selfRecovery.recover({ ...claim, factor: (body.factor ?? '').slice(0, 40) }, c);
      return await page(req, reply, { done: true });
    } catch (err) {
      image?.fill(0);
      if (!isRefusal(err, ['identity.sms_unavailable', 'verification.partner_unavailable'])) throw err;
      const proof = image ? 'photo' : 'factor';
      const errors = fieldErrors(err, ctx, {
        fallback: sending ? 'phone' : proof,
        fields: { 'identity.recovery_needs_level': proof, 'identity.phone_unusable': 'phone' },
        present: sending ? ['phone'] : ['phone', 'code', 'name', 'idNumber', proof],
      });
      return page(req, reply, { ...state, codeSent: !sending, errors }, err.status);
    }
  };
}

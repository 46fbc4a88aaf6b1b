/**
 * /me/verify pages over the verification service. A refusal re-renders the page with the
 * refusal tied to its field (web/forms) in the page language, and keeps what was typed in
 * the correction and bank card forms (never images). The face step takes a multipart
 * upload, parsed only in its own scope.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { documentIds, policyErrors, refOf, type PolicyService } from '../../../modules/policy/index.ts';
import type { SharingService } from '../../../modules/sharing/index.ts';
import {
  MAX_IMAGE_BYTES,
  partnerSlugs,
  verificationErrors,
  type VerificationService,
} from '../../../modules/verification/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { stepField, VerifyPage, type VerifyView } from './view.tsx';
import { nextOf, withNext } from '../../http/return-address.ts';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | undefined>;
type Step = NonNullable<VerifyView['error']>['step'];

export function registerVerifyPages(
  app: FastifyInstance,
  deps: {
    verification: VerificationService;
    policy: PolicyService;
    sharing: SharingService;
    http: HttpPolicy;
  },
): void {
  const v = deps.verification;

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<VerifyView>,
    status = 200,
  ) => {
    const ctx = pageContext(req);
    const [{ level }, partners, faceConsent] = await Promise.all([
      v.status(req.principal.citizen!.subjectId),
      deps.sharing.partners(),
      deps.policy.inEffect(documentIds.faceImageConsent, ctx.locale),
    ]);
    const notice = (slug: string) => {
      const p = partners.find((x) => x.slug === slug);
      return { name: p?.name[ctx.locale] ?? slug, agreementRef: p?.agreementRef ?? '' };
    };
    const next = nextOf(req);
    const view: VerifyView = {
      level,
      ...(next ? { next } : {}),
      partners: {
        registry: notice(partnerSlugs.registry),
        face: notice(partnerSlugs.face),
        bank: notice(partnerSlugs.bank),
      },
      faceConsent: { version: faceConsent.version, text: faceConsent.text },
      ...extra,
    };
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(await renderPage(VerifyPage({ ctx, view })));
  };

  /** Renders a refusal the person can act on; anything else is a server error. */
  const refused = (
    req: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    err: unknown,
    kept?: VerifyView['kept'],
  ) => {
    if (!isRefusal(err, [verificationErrors.partner_unavailable])) throw err;
    // A refusal of the step as a whole (mismatch, limits) is tied to the step's first field.
    const present: Record<Step, string[]> = {
      l2: [stepField.l2],
      l3: ['photo'],
      l4: ['cardNumber', 'bankPhone'],
      correct: ['name', 'idNumber'],
    };
    // The registry's "name and ID number do not match" is remedied in the correction form
    // below: the summary links to its first field.
    const fields = { 'verification.registry_mismatch': stepField.correct };
    const errors = fieldErrors(err, pageContext(req), {
      fallback: stepField[step],
      fields,
      present: step === 'l2' ? [...present.l2, stepField.correct] : present[step],
    });
    return render(
      req,
      reply,
      { error: { step, errors, clause: err.clause }, ...(kept ? { kept } : {}) },
      err.status,
    );
  };

  const field = (req: FastifyRequest, name: string) =>
    ((req.body as Form | undefined)?.[name] ?? '').toString();

  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 6 } });

    scope.get<{ Querystring: { done?: string; kept?: string; corrected?: string } }>(
      '/me/verify',
      (req, reply) => {
        const done = Number(req.query.done);
        return render(req, reply, {
          ...(done >= 2 && done <= 4
            ? {
                done: {
                  level: done,
                  ...(req.query.kept ? { imageAsked: true, imageKept: req.query.kept === '1' } : {}),
                },
              }
            : {}),
          ...(req.query.corrected === '1' ? { corrected: true } : {}),
        });
      },
    );

    scope.post('/me/verify/registry', async (req, reply) => {
      try {
        const d = await v.verifyRegistry(req.principal.citizen!.subjectId, req.id);
        return reply.redirect(withNext(`/me/verify?done=${d.level}`, nextOf(req)), 303);
      } catch (err) {
        return refused(req, reply, 'l2', err);
      }
    });

    scope.post('/me/verify/face', async (req, reply) => {
      let image: Buffer | undefined;
      let keep = false;
      let keepMetadata = false;
      let keepWording: string | undefined;
      try {
        if (!req.isMultipart()) throw new AppError(verificationErrors.invalid_image);
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (!part.mimetype.startsWith('image/')) {
              part.file.resume();
              continue;
            }
            image = await part.toBuffer().catch(() => {
              throw new AppError(verificationErrors.invalid_image, 'too large');
            });
          } else if (part.fieldname === 'keep') keep = part.value === '1';
          // P2.2.1 unticked (absent) by default: the photo's metadata is removed.
          else if (part.fieldname === 'keepMetadata') keepMetadata = part.value === '1';
          else if (part.fieldname === 'keepWording' && typeof part.value === 'string')
            keepWording = part.value;
        }
        if (!image || image.length === 0) throw new AppError(verificationErrors.invalid_image);
        const language = pageContext(req).locale;
        // The version of the consent text the person read (the page says which), else the one in effect.
        const consentDoc = !keep
          ? undefined
          : keepWording === undefined
            ? await deps.policy.inEffect(documentIds.faceImageConsent, language)
            : await deps.policy.find({
                documentId: documentIds.faceImageConsent,
                version: keepWording,
                language,
              });
        if (keep && !consentDoc) throw new AppError(policyErrors.unknown_document);
        const d = await v.verifyFace(
          req.principal.citizen!.subjectId,
          { image, keepMetadata, ...(consentDoc ? { keep: { document: refOf(consentDoc) } } : {}) },
          req.id,
        );
        return reply.redirect(
          withNext(`/me/verify?done=${d.level}&kept=${d.imageKept ? 1 : 0}`, nextOf(req)),
          303,
        );
      } catch (err) {
        image?.fill(0);
        return refused(req, reply, 'l3', err);
      }
    });

    scope.post('/me/verify/bank', async (req, reply) => {
      const card = { number: field(req, 'cardNumber'), phone: field(req, 'phone') };
      try {
        const d = await v.verifyBank(req.principal.citizen!.subjectId, card, req.id);
        return reply.redirect(withNext(`/me/verify?done=${d.level}`, nextOf(req)), 303);
      } catch (err) {
        return refused(req, reply, 'l4', err, { cardNumber: card.number, phone: card.phone });
      }
    });

    scope.post('/me/verify/correct', async (req, reply) => {
      const name = field(req, 'name');
      const idNumber = field(req, 'idNumber');
      try {
        await v.correct(req.principal.citizen!.subjectId, { name, idNumber }, req.id);
        return reply.redirect(withNext('/me/verify?corrected=1', nextOf(req)), 303);
      } catch (err) {
        return refused(req, reply, 'correct', err, { name, idNumber });
      }
    });
  });
}

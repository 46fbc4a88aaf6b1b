/**
 * Verification API: the person's own attempts (citizen session) and the service hall's
 * in-person record (staff session, role service_hall). Routes parse and call the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import { localeOf } from '../i18n/index.ts';
import { documentIds, refOf, type PolicyService } from '../../modules/policy/index.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import { documentKinds, type VerificationService } from '../../modules/verification/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const decision = z.object({
  attemptId: z.string(),
  state: z.string(),
  level: z.number(),
});

const partnerErrors = [
  'http.unauthenticated',
  'verification.partner_unavailable',
  'verification.too_many_attempts',
  'verification.level_required',
];

export function registerVerificationRoutes(
  app: FastifyInstance,
  api: Api,
  deps: {
    verification: VerificationService;
    policy: PolicyService;
    staff: StaffService;
    http: HttpPolicy;
  },
): void {
  const v = deps.verification;

  api.register(app, {
    method: 'GET',
    url: '/api/me/verification',
    summary: 'My assurance level and recent verification attempts',
    tags: ['verification'],
    response: z.object({
      level: z.number(),
      attempts: z.array(
        z.object({
          id: z.string(),
          level: z.number(),
          method: z.string(),
          state: z.string(),
          outcome: z.string().nullable(),
          imageKept: z.boolean(),
          createdAt: z.date().transform((d) => d.toISOString()),
        }),
      ),
    }),
    errors: ['http.unauthenticated'],
    handler: ({ req }) => v.status(req.principal.citizen!.subjectId),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/verification/registry',
    summary: 'L2: confirm my name and ID number with the population registry',
    tags: ['verification'],
    response: decision,
    errors: [...partnerErrors, 'verification.registry_mismatch'],
    handler: ({ req }) => v.verifyRegistry(req.principal.citizen!.subjectId, req.id),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/verification/face',
    summary:
      'L3: match a live capture (base64 JPEG or PNG) with the registry photo; the image is discarded unless keepImage (separate consent to the face-image-consent text in effect, in the request language); its metadata (GPS, camera serial numbers, owner, dates) is removed before it is sent or kept unless keepMetadata (P2.2.1)',
    tags: ['verification'],
    body: z.object({
      image: z.base64().min(4).max(1_000_000),
      keepImage: z.boolean().default(false),
      keepMetadata: z.boolean().default(false),
    }),
    response: decision.extend({ imageKept: z.boolean() }),
    errors: [
      ...partnerErrors,
      'verification.invalid_image',
      'verification.registry_mismatch',
      'verification.face_mismatch',
      'verification.liveness_failed',
    ],
    handler: async ({ body, req }) =>
      v.verifyFace(
        req.principal.citizen!.subjectId,
        {
          image: Buffer.from(body.image, 'base64'),
          keepMetadata: body.keepMetadata,
          ...(body.keepImage
            ? {
                keep: {
                  document: refOf(await deps.policy.inEffect(documentIds.faceImageConsent, localeOf(req))),
                },
              }
            : {}),
        },
        req.id,
      ),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/verification/bank',
    summary: 'L4: bank-card four-element check (name, ID number, card number, phone reserved at the bank)',
    tags: ['verification'],
    body: z.object({ cardNumber: z.string().max(40), phone: z.string().max(32) }),
    response: decision,
    errors: [
      ...partnerErrors,
      'verification.invalid_card',
      'verification.invalid_phone',
      'verification.bank_mismatch',
    ],
    handler: ({ body, req }) =>
      v.verifyBank(req.principal.citizen!.subjectId, { number: body.cardNumber, phone: body.phone }, req.id),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/verification/correction',
    summary: 'Correct my name or ID number; the assurance level returns to L1 until verified again',
    tags: ['verification'],
    body: z.object({ name: z.string().max(200).optional(), idNumber: z.string().max(30).optional() }),
    response: z.object({ level: z.number() }),
    errors: [
      'http.unauthenticated',
      'verification.nothing_to_correct',
      'identity.invalid_name',
      'identity.invalid_id_number',
      'identity.id_number_registered',
    ],
    handler: ({ body, req }) =>
      v.correct(
        req.principal.citizen!.subjectId,
        {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.idNumber !== undefined ? { idNumber: body.idNumber } : {}),
        },
        req.id,
      ),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/staff/verification/in-person',
    summary: 'Service hall: record an in-person check of a person’s document (L4); role service_hall only',
    tags: ['verification'],
    body: z.object({
      idNumber: z.string().trim().max(30),
      documentKind: z.enum(documentKinds),
      faceCompared: z.literal(true),
    }),
    response: decision.extend({ subjectId: z.string() }),
    errors: [
      'http.unauthenticated',
      'http.forbidden',
      'identity.invalid_id_number',
      'verification.person_not_found',
      'verification.document_required',
    ],
    handler: ({ body, req }) => v.recordInPerson(req.principal.staff!, body, req.id),
  });
}

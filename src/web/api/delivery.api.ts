/**
 * Delivery APIs.
 * - Department back end, with a client-credentials access token (scope department-api):
 *   read the contact for posting; close the delivery once posted, which starts its 30-day
 *   retention.
 * - The signed-in person: list what they gave (as /me/deliveries does) and delete one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RelyingParty } from '../../modules/catalogue/index.ts';
import type { Api } from '../../shared/http/api.ts';
import type { DeliveryService } from '../../modules/delivery/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const params = z.object({ id: z.string().max(64) });
const contact = z.object({ recipient: z.string(), phone: z.string(), address: z.string() });
const text = z.record(z.string(), z.string());
const errors = [
  'department_api.invalid_token',
  'department_api.insufficient_scope',
  'delivery.not_found',
  'delivery.erased',
];

export function registerDeliveryRoutes(
  app: FastifyInstance,
  api: Api,
  deps: {
    delivery: DeliveryService;
    caller: (req: FastifyRequest, reply: FastifyReply) => Promise<RelyingParty>;
    http: HttpPolicy;
  },
): void {
  const tags = ['department API'];

  api.register(app, {
    method: 'GET',
    url: '/api/department/deliveries/:id',
    summary: 'The delivery contact a person gave for one application (recorded in their access log)',
    tags,
    params,
    response: z.object({
      id: z.string(),
      application: z.string(),
      sub: z.string(),
      contact,
      givenAt: z.date(),
      closedAt: z.date().nullable(),
      deleteAfter: z.date(),
    }),
    errors,
    handler: async ({ params, req, reply }) =>
      deps.delivery.release(await deps.caller(req, reply), params.id, req.id),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/department/deliveries/:id/close',
    summary: 'Mark the delivery done: the contact is deleted 30 days later',
    tags,
    params,
    response: z.object({ deleteAfter: z.date() }),
    errors,
    handler: async ({ params, req, reply }) =>
      deps.delivery.close(await deps.caller(req, reply), params.id, req.id),
  });

  api.register(app, {
    method: 'GET',
    url: '/api/me/deliveries',
    summary: 'Contacts I gave for delivery by post: service, application, state, deletion date',
    tags: ['delivery'],
    response: z.object({
      deliveries: z.array(
        z.object({
          id: z.string(),
          clientId: z.string(),
          serviceName: text,
          departmentName: text,
          application: z.string(),
          givenAt: z.date(),
          releasedAt: z.date().nullable(),
          closedAt: z.date().nullable(),
          deleteAfter: z.date(),
          erasedAt: z.date().nullable(),
          erasedBy: z.enum(['retention', 'person']).nullable(),
          contact: contact.optional(),
        }),
      ),
    }),
    errors: ['http.unauthenticated'],
    handler: async ({ req }) => ({ deliveries: await deps.delivery.mine(req.principal.citizen!.subjectId) }),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/deliveries/:id/erase',
    summary: 'Delete a delivery contact now; the department can no longer read it (P8.1)',
    tags: ['delivery'],
    params,
    response: z.object({ erased: z.literal(true) }),
    errors: ['http.unauthenticated', 'delivery.not_found', 'delivery.erased'],
    handler: async ({ params, req }) => {
      await deps.delivery.erase(req.principal.citizen!.subjectId, params.id, req.id);
      return { erased: true as const };
    },
  });
}

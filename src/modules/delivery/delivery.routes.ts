/**
 * The department back-end API for deliveries, called with a client-credentials access
 * token (scope department-api). Read the contact for posting; close the delivery once
 * posted, which starts its 30-day retention.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RelyingParty } from '../catalogue/index.ts';
import type { Api } from '../../shared/http/api.ts';
import type { DeliveryService } from './delivery.service.ts';

const params = z.object({ id: z.string().max(64) });
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
      contact: z.object({ recipient: z.string(), phone: z.string(), address: z.string() }),
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
}

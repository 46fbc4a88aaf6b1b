/**
 * Staff JSON API for account support: look up an account, unlock it. The role check and
 * the recorded vault read live in the service; here only path, guard and schemas.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { AccountSupport } from '../../modules/support/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const ticket = z.string().trim().min(3).max(100);
const summary = z.object({
  subjectId: z.string(),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  assuranceLevel: z.number(),
  lockedUntil: z
    .date()
    .nullable()
    .transform((d) => d?.toISOString() ?? null),
  failedLogins: z.number(),
  activeSessions: z.number(),
  createdAt: z.date().transform((d) => d.toISOString()),
});
const errors = [
  'http.unauthenticated',
  'http.forbidden',
  'support.account_not_found',
  'support.ticket_required',
];

export function registerAccountSupportRoutes(
  app: FastifyInstance,
  api: Api,
  deps: { support: AccountSupport; staff: StaffService; http: HttpPolicy },
): void {
  api.register(app, {
    method: 'POST',
    url: '/api/staff/accounts/lookup',
    summary:
      'Find a citizen account by phone or ID number for a support ticket (the read is recorded for the person to see)',
    tags: ['identity'],
    body: z.object({ by: z.enum(['phone', 'id_number']), value: z.string().max(30), ticket }),
    response: summary,
    errors,
    handler: ({ body, req }) => deps.support.lookup(req.principal.staff!, body, req.id),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/staff/accounts/:subjectId/unlock',
    summary: 'End a lock-out after failed passwords (audited with the ticket)',
    tags: ['identity'],
    params: z.object({ subjectId: z.uuid() }),
    body: z.object({ ticket }),
    response: summary,
    errors,
    handler: ({ params, body, req }) =>
      deps.support.unlock(req.principal.staff!, params.subjectId, body.ticket, req.id),
  });
}

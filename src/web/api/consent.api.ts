/** Staff JSON API: a support agent withdraws a consent at the person's request (P8.5). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Api } from '../../shared/http/api.ts';
import { mayUseFor, type StaffService } from '../../modules/staff/index.ts';
import type { ConsentService } from '../../modules/consent/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

export function registerConsentRoutes(
  app: FastifyInstance,
  api: Api,
  deps: { consent: ConsentService; staff: StaffService; http: HttpPolicy },
): void {
  api.register(app, {
    method: 'POST',
    url: '/api/staff/consents/:consentId/withdraw',
    summary: 'Withdraw a consent on the person’s request; takes effect at once in every process',
    tags: ['consent'],
    params: z.object({ consentId: z.uuid() }),
    response: z.object({ id: z.string(), withdrawnAt: z.date().transform((d) => d.toISOString()) }),
    errors: ['http.unauthenticated', 'http.forbidden', 'consent.unknown', 'consent.already_withdrawn'],
    handler: async ({ params, req }) => {
      if (!mayUseFor(req.principal.staff!.role, 'customer-support')) throw new AppError(httpErrors.forbidden);
      const c = await deps.consent.withdraw(
        params.consentId,
        { type: 'staff', id: req.principal.staff!.id },
        req.id,
      );
      return { id: c.id, withdrawnAt: c.withdrawnAt! };
    },
  });
}

/** Liveness and readiness for the operator's load balancer and orchestrator. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { migrationStatus, type Database } from './kernel/db/index.ts';
import { applicationRoleProblems } from './kernel/db/roles.ts';
import type { Api } from './shared/http/api.ts';

const health = z.object({
  status: z.enum(['ok', 'ready', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});

export function registerHealthRoutes(
  app: FastifyInstance,
  api: Api,
  db: Database,
  opts: { production?: boolean; databaseAlive?: (() => boolean) | undefined } = {},
): void {
  api.register(app, {
    method: 'GET',
    url: '/healthz',
    summary: 'The process is alive (503 once the embedded PostgreSQL it runs has died)',
    tags: ['operations'],
    response: health,
    // Liveness, not readiness: an external database's outage is /readyz's business (a
    // restart would not cure it); the embedded server dying is ours, and nothing works.
    handler: async ({ reply }) => {
      if (opts.databaseAlive && !opts.databaseAlive()) {
        reply.code(503);
        return { status: 'unavailable' as const, checks: { database: 'embedded PostgreSQL is not running' } };
      }
      return { status: 'ok' as const };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/readyz',
    summary: 'The database is reachable and its schema is current (503 otherwise)',
    tags: ['operations'],
    response: health,
    handler: async ({ reply }) => {
      const checks: Record<string, string> = {};
      try {
        const s = await migrationStatus(db);
        checks.database = 'ok';
        checks.migrations =
          s.pending.length || s.edited.length ? `pending ${s.pending.join(',')}` : 'current';
        // P7.2: the role must not be able to switch the audit triggers off.
        checks.role = (await applicationRoleProblems(db)).length ? 'over-privileged' : 'least-privilege';
      } catch {
        checks.database = 'unreachable';
      }
      const ready =
        checks.database === 'ok' &&
        checks.migrations === 'current' &&
        (checks.role === 'least-privilege' || !opts.production);
      if (!ready) reply.code(503);
      return { status: ready ? ('ready' as const) : ('unavailable' as const), checks };
    },
  });
}

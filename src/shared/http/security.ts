/**
 * Security plumbing shared by every route: headers with a content-security policy the
 * pages work under (they carry no inline script or style), request ids, and refusal of
 * cross-site form posts.
 */
import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export async function installSecurity(app: FastifyInstance, production: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        // The push service worker (/static/sw.js); named so no fallback decides it.
        'worker-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
        ...(production ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
}

/**
 * Refuses state-changing requests a browser sent from another site (Fetch Metadata,
 * then Origin). Requests without either header do not come from a browser page, so
 * cannot carry a victim's cookies cross-site, and are let through.
 */
export async function refuseCrossSite(req: FastifyRequest): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new AppError(httpErrors.cross_site);
  }
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== `${req.protocol}://${req.host}`) {
    throw new AppError(httpErrors.cross_site);
  }
}

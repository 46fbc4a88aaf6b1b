/**
 * Serves the provider under /oidc from Fastify.
 *
 * Why a route and not middleware: as a real route in its own scope it passes Fastify's
 * onRequest hooks (rate limit, security headers, request id) like every other route, while
 * the body stays unparsed for the provider to read. The reply is hijacked and the raw
 * request handed to the provider with the mount path stripped (`originalUrl` keeps it, so
 * discovery advertises /oidc URLs). Headers Fastify hooks already set (helmet) are copied
 * onto the raw response first, since a hijacked reply never sends them.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

export const OIDC_PREFIX = '/oidc';

/**
 * The provider is built once the server listens (its issuer is the URL it is reached at,
 * and a test server's port is known only then); until then /oidc answers 503.
 */
export interface ProviderHolder {
  provider?: Provider;
}

export function mountProvider(
  app: FastifyInstance,
  holder: ProviderHolder,
  opts: { perMinute: number },
): void {
  let callback: ReturnType<Provider['callback']> | undefined;
  let for_: Provider | undefined;
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const provider = holder.provider;
    if (!provider) return reply.code(503).send();
    if (for_ !== provider) {
      callback = provider.callback();
      for_ = provider;
    }
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    const raw = req.raw as typeof req.raw & { originalUrl?: string };
    raw.originalUrl = raw.url;
    raw.url = (raw.url ?? '/').slice(OIDC_PREFIX.length) || '/';
    callback!(raw, reply.raw);
  };
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    await scope.register(rateLimit, { max: opts.perMinute, timeWindow: '1 minute' });
    scope.all(`${OIDC_PREFIX}/*`, handle);
  });
}

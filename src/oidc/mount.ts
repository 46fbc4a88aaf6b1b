/**
 * Serves the provider under /oidc from Fastify.
 *
 * Why a route and not middleware: as a real route in its own scope it passes Fastify's
 * onRequest hooks (rate limit, security headers, request id) like every other route, while
 * the body stays unparsed for the provider to read. The reply is hijacked and the raw
 * request handed to the provider with the mount path stripped (`originalUrl` keeps it, so
 * discovery advertises /oidc URLs). Headers Fastify hooks already set (helmet) are copied
 * onto the raw response first, since a hijacked reply never sends them.
 *
 * Two addresses the library does not answer as Civitas needs:
 * - POST to the authorization and end-session endpoints (OpenID Connect Core 3.1.2.1,
 *   RP-Initiated Logout 2): the library routes POST there only with `enableHttpPostMethods`,
 *   which demands SameSite=None session cookies. Civitas keeps them Lax, so a form POST
 *   (form-encoded, read here, at most 56 KiB like the library's own limit) is handed on as
 *   the same request with its parameters in the query. A cross-site POST carries no Lax
 *   cookie, so it simply starts from the portal session, as a first visit would.
 * - RFC 8414 §3: the metadata of an issuer with a path is at
 *   `/.well-known/oauth-authorization-server/oidc`, outside the mount.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

export const OIDC_PREFIX = '/oidc';
const POST_AS_QUERY = new Set([`${OIDC_PREFIX}/auth`, `${OIDC_PREFIX}/session/end`]);
const BODY_LIMIT = 56 * 1024;
export const RFC8414_METADATA = `/.well-known/oauth-authorization-server${OIDC_PREFIX}`;

const POST_REFUSED = JSON.stringify({
  error: 'invalid_request',
  error_description: 'a POST here must be form-encoded (application/x-www-form-urlencoded), at most 56 KiB',
});

/** The form body of a POST, or undefined when it is not a form or too large. */
async function formBody(req: FastifyRequest): Promise<string | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
    const raw = req.raw as typeof req.raw & { originalUrl?: string };
    const path = (raw.url ?? '/').split('?')[0]!;
    if (path === RFC8414_METADATA) raw.url = `${OIDC_PREFIX}/.well-known/oauth-authorization-server`;
    if (raw.method === 'POST' && POST_AS_QUERY.has(path)) {
      const body = await formBody(req);
      if (body === undefined) return reply.code(400).type('application/json').send(POST_REFUSED);
      raw.method = 'GET';
      raw.url = `${path}?${body}`;
      delete raw.headers['content-type'];
      delete raw.headers['content-length'];
    }
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    raw.originalUrl = raw.url;
    // Who the request is (resolved once, web/http/principal.ts) for the provider's own pages:
    // their header names the signed-in person like every portal page.
    (raw as typeof raw & { principal?: unknown }).principal = req.principal;
    raw.url = (raw.url ?? '/').slice(OIDC_PREFIX.length) || '/';
    callback!(raw, reply.raw);
  };
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    await scope.register(rateLimit, { max: opts.perMinute, timeWindow: '1 minute' });
    scope.all(`${OIDC_PREFIX}/*`, handle);
    scope.get(RFC8414_METADATA, handle);
  });
}

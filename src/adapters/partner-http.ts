/**
 * The HTTP/JSON plumbing shared by the verification partners' clients (population registry,
 * face match, bank four-element check) and by their development servers: one POST with a
 * bearer token and a timeout on the client side; bearer check and JSON parsing on the
 * server side. Each partner's protocol is documented in docs/adapters/<partner>.md.
 *
 * A partner that does not answer, answers late, or answers outside its protocol is
 * "unavailable" (`PartnerUnavailable`): the caller leaves the attempt retryable. A partner's
 * well-formed "no" (a mismatch) is an answer, not an error.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class PartnerUnavailable extends Error {
  constructor(
    readonly partner: string,
    reason: string,
  ) {
    super(`${partner} unavailable: ${reason}`);
    this.name = 'PartnerUnavailable';
  }
}

export interface PartnerEndpoint {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** POSTs JSON to `{baseUrl}/{path}`; returns the JSON body of a 200, else throws PartnerUnavailable. */
export async function postJson(
  partner: string,
  ep: PartnerEndpoint,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, ep.baseUrl.endsWith('/') ? ep.baseUrl : `${ep.baseUrl}/`), {
      method: 'POST',
      headers: { authorization: `Bearer ${ep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ep.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new PartnerUnavailable(
      partner,
      (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed',
    );
  }
  if (res.status !== 200) throw new PartnerUnavailable(partner, `status ${res.status}`);
  const json = (await res.json().catch(() => undefined)) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PartnerUnavailable(partner, 'malformed response');
  return json as Record<string, unknown>;
}

const readBody = (req: IncomingMessage, limit: number) =>
  new Promise<string>((resolve, reject) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
      if (data.length > limit) reject(new Error('too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

type Handler = (body: Record<string, unknown>) => Promise<{ status: number; body: unknown }>;

/**
 * A development server for a partner protocol: checks the bearer token, parses the JSON
 * body, and answers `{ status, body }` from the route's handler (400 for a malformed body,
 * 401 for a wrong token, 404 for an unknown path).
 */
export async function serveJson(
  token: string,
  routes: Record<string, Handler>,
  port = 0,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    void (async () => {
      const route = req.method === 'POST' ? routes[req.url ?? ''] : undefined;
      if (!route) return answer(404, { error: 'not-found' });
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorised' });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, 8 * 1024 * 1024));
      } catch {
        return answer(400, { error: 'malformed' });
      }
      if (typeof body !== 'object' || body === null) return answer(400, { error: 'malformed' });
      const r = await route(body as Record<string, unknown>).catch(() => ({
        status: 500,
        body: { error: 'internal' },
      }));
      answer(r.status, r.body);
    })();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

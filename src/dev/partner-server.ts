/**
 * The server side of the partner protocols, for the development servers of the local
 * partners (src/dev/*.ts): bearer check and JSON parsing. Never loaded in production.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

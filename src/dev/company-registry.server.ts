/**
 * A development server speaking the company-registry protocol
 * (docs/adapters/company-registry.md) over real HTTP, answering from a
 * `LocalCompanyRegistry`. Used to test `HttpCompanyRegistry` end to end, and to point a
 * development platform at an HTTP registry (COMPANY_REGISTRY_URL) without a real one.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalCompanyRegistry } from './company-registry.ts';

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
      if (data.length > 10_000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

export async function startRegistryDevServer(
  registry: LocalCompanyRegistry,
  token: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    void (async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/v1/representative-checks'))
        return answer(404, { error: 'no-such-endpoint' });
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorised' });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return answer(400, { error: 'malformed' });
      }
      const b = body as { creditCode?: unknown; idNumber?: unknown };
      if (typeof b.creditCode !== 'string' || typeof b.idNumber !== 'string')
        return answer(400, { error: 'malformed' });
      // The whole parsed body goes to the local registry, which records it as received.
      const found = await registry.checkRepresentative(body as { creditCode: string; idNumber: string });
      return found ? answer(200, found) : answer(404, { error: 'not-found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/registry`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

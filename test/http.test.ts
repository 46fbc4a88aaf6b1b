/**
 * Invariant: every response carries the security headers, a request id, and, on error,
 * RFC 9457 problem details with a stable code (or a readable page for a browser); the
 * OpenAPI document describes the routes that exist; shutdown finishes what is in flight.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

let p: TestPlatform;

describe('HTTP conventions', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('pages carry a strict content-security policy and other security headers', async () => {
    const res = await fetch(`${p.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=/, 'no inline style');
    assert.doesNotMatch(html, /\son[a-z]+=/, 'no inline event handler');
  });

  test('every response has a request id; a well-formed incoming one is kept', async () => {
    const a = await fetch(`${p.url}/healthz`);
    assert.match(a.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const b = await fetch(`${p.url}/healthz`, { headers: { 'x-request-id': 'trace-12345678' } });
    assert.equal(b.headers.get('x-request-id'), 'trace-12345678');
    const c = await fetch(`${p.url}/healthz`, { headers: { 'x-request-id': 'bad id <script>' } });
    assert.notEqual(c.headers.get('x-request-id'), 'bad id <script>');
  });

  test('an unknown API path answers problem+json with a stable code', async () => {
    const res = await fetch(`${p.url}/api/nothing-here`, { headers: { 'accept-language': 'cs' } });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.code, 'http.not_found');
    assert.equal(body.status, 404);
    assert.equal(body.title, 'Nenalezeno');
    assert.equal(body.type, '/docs/errors#http.not_found');
    assert.equal(body.requestId, res.headers.get('x-request-id'));
  });

  test('a browser asking for a missing page gets a readable page in its language', async () => {
    const res = await fetch(`${p.url}/no-such-page`, {
      headers: { accept: 'text/html', 'accept-language': 'en' },
    });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /<h1>Not found<\/h1>/);
    assert.match(html, /http\.not_found/);
    assert.match(html, /href="\/"/);
  });

  test('malformed JSON is refused with a problem, not a crash', async () => {
    const res = await fetch(`${p.url}/api/catalogue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const body = (await res.json()) as { code: string; status: number };
    assert.ok(body.status >= 400 && body.status < 500);
    assert.match(body.code, /^http\./);
  });

  test('P7.2 /healthz is alive and /readyz checks the database, migrations and a least-privilege role', async () => {
    assert.deepEqual(await (await fetch(`${p.url}/healthz`)).json(), { status: 'ok' });
    const ready = await fetch(`${p.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      checks: { database: 'ok', migrations: 'current', role: 'least-privilege' },
    });
  });

  test('the OpenAPI 3.1 document describes the JSON API from the validating schemas', async () => {
    const doc = (await (await fetch(`${p.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { content: Record<string, { schema: { properties?: object } }> }> }
        >
      >;
    };
    assert.equal(doc.openapi, '3.1.0');
    const catalogue = doc.paths['/api/catalogue']?.get;
    assert.ok(catalogue, '/api/catalogue documented');
    const schema = catalogue.responses['200']?.content['application/json']?.schema;
    assert.ok(schema?.properties && 'departments' in schema.properties);
    assert.ok(doc.paths['/readyz']?.get);
  });

  test('the catalogue API returns only the fields its schema allows', async () => {
    const body = (await (await fetch(`${p.url}/api/catalogue`)).json()) as {
      departments: Record<string, unknown>[];
    };
    assert.equal(body.departments.length, 5);
    assert.deepEqual(Object.keys(body.departments[0]!).sort(), ['name', 'services', 'slug']);
  });
});

describe('graceful shutdown', () => {
  test('finishes an in-flight request, then closes the database', async () => {
    const q = await startTestPlatform();
    // A slow request already in progress when shutdown begins: the catalogue read waits on a lock.
    const blocker = await q.database.db.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE department IN ACCESS EXCLUSIVE MODE');
    const inFlight = fetch(`${q.url}/api/catalogue`);
    await new Promise((r) => setTimeout(r, 200));
    const closing = q.close();
    await new Promise((r) => setTimeout(r, 200));
    await blocker.query('COMMIT');
    blocker.release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { departments: unknown[] }).departments.length, 5);
    await closing;
    await assert.rejects(q.storage.db.query('SELECT 1'), /Cannot use a pool after calling end/);
    await assert.rejects(fetch(`${q.url}/healthz`));
    await q.database.drop();
  });
});

/**
 * Invariant: each verification partner's production client speaks its documented protocol
 * (docs/adapters/*.md) against a real HTTP server, the development server wrapping the
 * local implementation; a partner that is down, slow, refuses the token or answers outside
 * the protocol is "unavailable", never a decision; the seeded people are valid.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { checkIdNumber } from '../modules/account/index.ts';
import { HttpBankVerify, luhnValid } from './bank-verify.ts';
import { LocalBankVerify, serveBankVerify } from '../dev/bank-verify.ts';
import { HttpFaceMatch } from './face-match.ts';
import { LocalFaceMatch, serveFaceMatch } from '../dev/face-match.ts';
import { PartnerUnavailable } from './partner-http.ts';
import { registryPhoto, seedCapture, seededPeople } from '../dev/partner-seed.ts';
import { HttpPopulationRegistry } from './population-registry.ts';
import { LocalPopulationRegistry, servePopulationRegistry } from '../dev/population-registry.ts';

const TOKEN = 'partner-token-0123456789';
const [wang, li] = seededPeople as [(typeof seededPeople)[0], (typeof seededPeople)[1]];
const closers: (() => Promise<void>)[] = [];
let registry: LocalPopulationRegistry;
let face: LocalFaceMatch;
let bank: LocalBankVerify;
let urls: { registry: string; face: string; bank: string };
let odd: { server: Server; url: string; answer: { status: number; body: string; delayMs?: number } };

describe('verification partner adapters', () => {
  before(async () => {
    registry = new LocalPopulationRegistry();
    face = new LocalFaceMatch((ref) => registry.photo(ref));
    bank = new LocalBankVerify();
    const [r, f, b] = await Promise.all([
      servePopulationRegistry(registry, TOKEN),
      serveFaceMatch(face, TOKEN),
      serveBankVerify(bank, TOKEN),
    ]);
    closers.push(r.close, f.close, b.close);
    urls = { registry: r.url, face: f.url, bank: b.url };
    const answer = { status: 200, body: '{}' } as { status: number; body: string; delayMs?: number };
    const server = createServer((_req, res) => {
      setTimeout(() => res.writeHead(answer.status).end(answer.body), answer.delayMs ?? 0);
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    odd = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, answer };
    closers.push(() => new Promise<void>((res) => server.close(() => res())));
  });
  after(async () => {
    for (const c of closers) await c();
  });

  test('P2.1 the seeded people have valid ID numbers and Luhn-valid cards', () => {
    for (const p of seededPeople) {
      assert.equal(checkIdNumber(p.idNumber), undefined, p.idNumber);
      if (p.card) assert.ok(luhnValid(p.card.number), p.card.number);
    }
    assert.equal(luhnValid('6222021000112345673'), false, 'one wrong digit fails');
  });

  test('P2.1 the registry client sends name and ID number and reads match, reference or mismatch', async () => {
    const client = new HttpPopulationRegistry({ baseUrl: urls.registry, token: TOKEN });
    const yes = await client.verify({ name: wang.name, idNumber: wang.idNumber });
    assert.equal(yes.result, 'match');
    assert.match(yes.photoRef ?? '', /^prr_[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(registry.received.at(-1), { name: wang.name, idNumber: wang.idNumber });
    assert.deepEqual(await client.verify({ name: '王芳芳', idNumber: wang.idNumber }), {
      result: 'mismatch',
    });
    assert.deepEqual(registry.photo(yes.photoRef!), registryPhoto(wang), 'the reference names the photo');
    assert.equal(registry.photo(yes.photoRef!), undefined, 'a reference is single-use');
  });

  test('P5.1.4 the face client sends only the image and the reference, and reads liveness and score', async () => {
    const client = new HttpFaceMatch({ baseUrl: urls.face, token: TOKEN });
    const { photoRef } = await registry.verify({ name: li.name, idNumber: li.idNumber });
    const image = seedCapture(li);
    assert.deepEqual(await client.compare({ image, reference: photoRef! }), {
      liveness: 'pass',
      score: 0.96,
    });
    assert.deepEqual(face.received.at(-1), { image: image.toString('base64'), reference: photoRef });
    const other = await registry.verify({ name: li.name, idNumber: li.idNumber });
    const wrong = await client.compare({ image: seedCapture(wang), reference: other.photoRef! });
    assert.ok(wrong.score < 0.5);
  });

  test('P2.1 the bank client sends the four elements and reads match or mismatch', async () => {
    const client = new HttpBankVerify({ baseUrl: urls.bank, token: TOKEN });
    const q = {
      name: wang.name,
      idNumber: wang.idNumber,
      cardNumber: wang.card!.number,
      phone: '13800000001',
    };
    assert.deepEqual(await client.check(q), { result: 'match' });
    assert.deepEqual(bank.received.at(-1), q);
    assert.deepEqual(await client.check({ ...q, phone: '13800000009' }), { result: 'mismatch' });
  });

  test('a wrong token, a partner that is down, slow or off-protocol is "unavailable"', async () => {
    const wrongToken = new HttpPopulationRegistry({ baseUrl: urls.registry, token: 'not-the-token-000' });
    await assert.rejects(wrongToken.verify({ name: 'a', idNumber: 'b' }), PartnerUnavailable);
    registry.down = true;
    await assert.rejects(
      new HttpPopulationRegistry({ baseUrl: urls.registry, token: TOKEN }).verify({
        name: 'a',
        idNumber: 'b',
      }),
      /population-registry unavailable: status 500/,
    );
    registry.down = false;
    const clients = [
      () =>
        new HttpPopulationRegistry({ baseUrl: odd.url, token: TOKEN, timeoutMs: 200 }).verify({
          name: 'a',
          idNumber: 'b',
        }),
      () =>
        new HttpFaceMatch({ baseUrl: odd.url, token: TOKEN, timeoutMs: 200 }).compare({
          image: Buffer.from('x'),
          reference: 'r',
        }),
      () =>
        new HttpBankVerify({ baseUrl: odd.url, token: TOKEN, timeoutMs: 200 }).check({
          name: 'a',
          idNumber: 'b',
          cardNumber: 'c',
          phone: 'd',
        }),
    ];
    for (const a of [
      { status: 200, body: '{"result":"perhaps","liveness":"maybe"}' },
      { status: 200, body: 'not json' },
      { status: 503, body: '{}' },
      { status: 200, body: '{"result":"match","liveness":"pass","score":1,"photoRef":"r"}', delayMs: 400 },
    ]) {
      Object.assign(odd.answer, { delayMs: 0 }, a);
      for (const call of clients) await assert.rejects(call(), PartnerUnavailable, JSON.stringify(a));
    }
    const closed = new HttpBankVerify({ baseUrl: 'http://127.0.0.1:9/', token: TOKEN });
    await assert.rejects(
      closed.check({ name: 'a', idNumber: 'b', cardNumber: 'c', phone: 'd' }),
      /connection failed/,
    );
  });
});

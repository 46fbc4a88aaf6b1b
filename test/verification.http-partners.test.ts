/**
 * Invariant: with real partner URLs configured, the platform reaches every level over
 * HTTP through the documented protocols (here spoken by the development servers around
 * the local partners), and the face partner still receives only the capture and an
 * opaque reference on the wire.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalBankVerify, serveBankVerify } from '../src/dev/bank-verify.ts';
import { LocalFaceMatch, serveFaceMatch } from '../src/dev/face-match.ts';
import { seedCapture, seededPeople } from '../src/dev/partner-seed.ts';
import { LocalPopulationRegistry, servePopulationRegistry } from '../src/dev/population-registry.ts';
import { registerCitizen } from './support/citizens.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

const TOKEN = 'partner-token-for-http-tests';
const registry = new LocalPopulationRegistry();
const face = new LocalFaceMatch((ref) => registry.photo(ref));
const bank = new LocalBankVerify();
const closers: (() => Promise<void>)[] = [];
let p: TestPlatform;

describe('verification over HTTP partners', () => {
  before(async () => {
    const [r, f, b] = await Promise.all([
      servePopulationRegistry(registry, TOKEN),
      serveFaceMatch(face, TOKEN),
      serveBankVerify(bank, TOKEN),
    ]);
    closers.push(r.close, f.close, b.close);
    p = await startTestPlatform({
      POPULATION_REGISTRY_URL: r.url,
      POPULATION_REGISTRY_TOKEN: TOKEN,
      FACE_MATCH_URL: f.url,
      FACE_MATCH_TOKEN: TOKEN,
      BANK_VERIFY_URL: b.url,
      BANK_VERIFY_TOKEN: TOKEN,
    });
  });
  after(async () => {
    await p?.stop();
    for (const c of closers) await c();
  });

  test('P5.1.4 L2, L3 and L4 over the documented protocols; the face partner gets only image and reference', async () => {
    const wang = seededPeople[0]!;
    const me = await registerCitizen(p, '13600000031', wang.idNumber, { name: wang.name });
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${p.url}/api/me/verification/${path}`, {
        method: 'POST',
        headers: { cookie: me.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      return (JSON.parse(text) as { level: number }).level;
    };
    assert.equal(await post('registry', {}), 2);
    assert.equal(await post('face', { image: seedCapture(wang).toString('base64') }), 3);
    assert.equal(await post('bank', { cardNumber: wang.card!.number, phone: wang.card!.phone }), 4);
    assert.deepEqual(registry.received[0], { name: wang.name, idNumber: wang.idNumber });
    assert.deepEqual(Object.keys(face.received[0]!).sort(), ['image', 'reference']);
    assert.ok(!JSON.stringify(face.received).includes(wang.idNumber));
    assert.equal(bank.received[0]!.cardNumber, wang.card!.number);
  });
});

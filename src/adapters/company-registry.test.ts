/**
 * Invariant: the production company-registry client speaks the documented protocol
 * (docs/adapters/company-registry.md) against a real HTTP server, sends only the credit
 * code and the ID number, and treats anything but 200/404 with a well-formed body, or no
 * answer in time, as the registry being unavailable.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { checkCreditCode } from '../modules/company/index.ts';
import { checkIdNumber } from '../modules/account/index.ts';
import { HttpCompanyRegistry, RegistryUnavailable } from './company-registry.ts';
import { LocalCompanyRegistry, seededCompanies } from '../dev/company-registry.ts';
import { startRegistryDevServer } from '../dev/company-registry.server.ts';

const TOKEN = 'registry-token-0123456789';
let local: LocalCompanyRegistry;
let dev: { url: string; close(): Promise<void> };

describe('company registry adapters', () => {
  before(async () => {
    local = new LocalCompanyRegistry();
    dev = await startRegistryDevServer(local, TOKEN);
  });
  after(() => dev.close());

  test('P2.1 every seeded company has a valid credit code and representative ID number', () => {
    for (const c of seededCompanies) {
      assert.equal(checkCreditCode(c.creditCode), undefined, c.creditCode);
      assert.equal(checkIdNumber(c.representative.idNumber), undefined, c.representative.idNumber);
    }
  });

  test('P5.1.4 the HTTP client confirms a representative and the registry receives only code and ID number', async () => {
    const reg = new HttpCompanyRegistry(dev.url, TOKEN);
    const c = seededCompanies[0]!;
    const yes = await reg.checkRepresentative({
      creditCode: c.creditCode,
      idNumber: c.representative.idNumber,
    });
    assert.deepEqual(yes, { creditCode: c.creditCode, name: c.name, status: 'active', representative: true });
    assert.deepEqual(local.received.at(-1), {
      creditCode: c.creditCode,
      idNumber: c.representative.idNumber,
    });
    const no = await reg.checkRepresentative({ creditCode: c.creditCode, idNumber: '310115197506204567' });
    assert.equal(no?.representative, false);
    const revoked = seededCompanies.find((x) => x.status === 'revoked')!;
    assert.equal(
      (await reg.checkRepresentative({ creditCode: revoked.creditCode, idNumber: 'x' }))?.status,
      'revoked',
    );
    assert.equal(
      await reg.checkRepresentative({ creditCode: '91350100M000100Y43', idNumber: 'x' }),
      undefined,
    );
  });

  test('a wrong token, a failing or slow registry is "unavailable"', async () => {
    await assert.rejects(
      new HttpCompanyRegistry(dev.url, 'wrong-token-0123456789').checkRepresentative({
        creditCode: 'a',
        idNumber: 'b',
      }),
      RegistryUnavailable,
    );
    let answer = { status: 500, body: '{}', delayMs: 0 };
    const broken: Server = createServer((_req, res) => {
      setTimeout(
        () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body),
        answer.delayMs,
      );
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    try {
      const reg = new HttpCompanyRegistry(url, TOKEN, 200);
      for (const a of [
        { status: 500, body: '{}', delayMs: 0 },
        { status: 200, body: 'not json', delayMs: 0 },
        {
          status: 200,
          body: '{"creditCode":"x","name":"n","status":"gone","representative":true}',
          delayMs: 0,
        },
        { status: 200, body: '{}', delayMs: 400 },
      ]) {
        answer = a;
        await assert.rejects(
          reg.checkRepresentative({ creditCode: 'a', idNumber: 'b' }),
          RegistryUnavailable,
        );
      }
    } finally {
      await new Promise<void>((r) => broken.close(() => r()));
    }
    await assert.rejects(
      new HttpCompanyRegistry('http://127.0.0.1:1', TOKEN, 500).checkRepresentative({
        creditCode: 'a',
        idNumber: 'b',
      }),
      RegistryUnavailable,
    );
  });
});

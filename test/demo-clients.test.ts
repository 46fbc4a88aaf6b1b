/**
 * Development convenience that newcomers rely on: `npm start` writes the demo services'
 * client secrets and the issuer to data/demo-clients.json for `npm run department`. The
 * issuer must follow the port of the current start, and secrets once issued stay.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPlatform } from '../src/platform.ts';
import { startTestPlatform } from './support/platform.ts';

type DemoClients = {
  issuer: string;
  clients: { clientId: string; clientSecret: string; delivery: boolean }[];
};

test('a restart on another port rewrites the issuer for the demo department app and keeps the secrets', async () => {
  const p = await startTestPlatform();
  const file = join(p.config.dataDir, 'demo-clients.json');
  const first = JSON.parse(readFileSync(file, 'utf8')) as DemoClients;
  assert.equal(first.issuer, `${p.url}/oidc`);
  const transit = first.clients.find((c) => c.clientId === 'transit-card')!;
  assert.equal(transit.delivery, true);

  await p.close();
  const again = await startPlatform(p.config); // PORT 0: another free port
  try {
    const second = JSON.parse(readFileSync(file, 'utf8')) as DemoClients;
    assert.notEqual(again.url, p.url);
    assert.equal(second.issuer, `${again.url}/oidc`);
    assert.equal(
      second.clients.find((c) => c.clientId === 'transit-card')?.clientSecret,
      transit.clientSecret,
    );
  } finally {
    await again.close();
    await p.database.drop();
    rmSync(p.config.dataDir, { recursive: true, force: true });
  }
});

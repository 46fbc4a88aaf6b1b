/**
 * Development convenience that newcomers rely on: `npm start` writes the demo services'
 * client secrets and the issuer to data/demo-clients.json for `npm run department`. The
 * issuer must follow the port of the current start, and secrets once issued stay. The
 * department app finds that file in the platform's data directory and keeps to a port of its own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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

test('npm run department reads demo-clients.json from CIVITAS_DATA_DIR and listens on DEPARTMENT_PORT, not PORT', async () => {
  const p = await startTestPlatform();
  // The platform's port is taken: an exported PORT must not be where the department app listens.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CIVITAS_DATA_DIR: p.config.dataDir,
    PORT: new URL(p.url).port,
    DEPARTMENT_PORT: '0',
  };
  delete env.CIVITAS_DEMO_CLIENTS;
  delete env.DEPARTMENT_CLIENT_ID;
  const child = spawn(process.execPath, ['--import', 'tsx', 'department-app/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`department app exited (${code}): ${err}`)));
    });
    const m = /on (http:\/\/localhost:(\d+)), signing in at (\S+)$/.exec(line);
    assert.ok(m, line);
    assert.equal(m[3], `${p.url}/oidc`, 'the issuer of this platform, from its data directory');
    assert.notEqual(m[2], new URL(p.url).port);
    const home = await fetch(m[1]!);
    assert.equal(home.status, 200);
  } finally {
    child.kill();
    await p.stop();
  }
});

/**
 * Invariant: the address `npm start` prints is one where every sign-in method works.
 * Passkeys (WebAuthn) refuse a numeric host, so a development start on a loopback address
 * prints and issues at `localhost`; a configured PUBLIC_URL always wins.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, publicUrlOf } from './index.ts';

test('P7.3 a development start on 127.0.0.1 prints a localhost URL, where passkeys work', () => {
  assert.equal(publicUrlOf(loadConfig({}), 3000), 'http://localhost:3000');
  assert.equal(publicUrlOf(loadConfig({ HOST: '0.0.0.0' }), 3000), 'http://localhost:3000');
  assert.equal(
    publicUrlOf(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080/' }), 3000),
    'http://127.0.0.1:8080',
    'an explicit PUBLIC_URL is kept',
  );
  assert.equal(publicUrlOf(loadConfig({ HOST: '192.0.2.10' }), 3000), 'http://192.0.2.10:3000');
});

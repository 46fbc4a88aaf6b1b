// Invariant: every cookie keeps its name and flags (one list of cookies, ADR 0018).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieName, cookies, httpPolicy } from './cookies.ts';

test('the registry names every cookie with __Host- in production, bare in development', () => {
  assert.equal(cookieName('session', true), '__Host-civitas_session');
  assert.equal(cookieName('session', false), 'civitas_session');
  assert.equal(cookieName('device', true), '__Host-civitas_device');
  assert.equal(cookieName('device', false), 'civitas_device');
  assert.equal(cookieName('staff', true), '__Host-civitas_staff');
  assert.equal(cookieName('lang', true), 'civitas_lang');
});

test('every cookie is declared strictly necessary with a purpose (P3.3)', () => {
  for (const [id, c] of Object.entries(cookies)) {
    assert.ok(c.purpose.length > 10, id);
    assert.equal(c.necessary, true, id);
  }
});

test('the HTTP policy asks for secure cookies in production only', () => {
  assert.equal(httpPolicy({ mode: 'production', trustProxy: false } as never).secureCookies, true);
  assert.equal(httpPolicy({ mode: 'development', trustProxy: false } as never).secureCookies, false);
});

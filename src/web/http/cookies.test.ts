// Invariant: every cookie keeps its name and flags, and the names still kept in the session
// module (until its cookie helpers move into web/http) equal the registry's (one list of cookies, ADR 0018).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { citizenCookieName, deviceCookieName } from '../../modules/session/index.ts';
import { cookieName, cookies, httpPolicy } from './cookies.ts';

test('the registry names every cookie with __Host- in production, bare in development', () => {
  assert.equal(cookieName('session', true), '__Host-civitas_session');
  assert.equal(cookieName('session', false), 'civitas_session');
  assert.equal(cookieName('staff', true), '__Host-civitas_staff');
  assert.equal(cookieName('lang', true), 'civitas_lang');
});

test('the session and device cookies named in the session module match the registry', () => {
  for (const secure of [true, false]) {
    assert.equal(citizenCookieName(secure), cookieName('session', secure));
    assert.equal(deviceCookieName(secure), cookieName('device', secure));
  }
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

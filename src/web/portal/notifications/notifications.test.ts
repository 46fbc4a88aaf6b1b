/**
 * Invariant: /me/notifications shows, per kind of message, the channels it goes by in the
 * person's language, mandatory kinds marked as such; an optional kind can be switched off;
 * a mandatory kind left with no channel is refused readably (422, the module's reason, a link
 * to the policy section) with every box kept as the person ticked it and nothing saved;
 * channels that cannot reach the person are explained with links to /me/email and /me/push.
 * The JSON twin answers the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let me: Citizen;

const cookie = () => `${me.session}; ${me.device}`;
const page = async (path: string, lang = 'en') =>
  (await fetch(`${p.url}${path}`, { headers: { cookie: `${cookie()}; civitas_lang=${lang}` } })).text();
const post = (fields: [string, string][], lang = 'en') =>
  fetch(`${p.url}/me/notifications`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      cookie: `${cookie()}; civitas_lang=${lang}`,
    },
    body: new URLSearchParams(fields).toString(),
  });
const api = (method: string, body?: unknown) =>
  fetch(`${p.url}/api/me/notifications`, {
    method,
    headers: {
      cookie: cookie(),
      'sec-fetch-site': 'same-origin',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
const checked = (html: string, kind: string, channel: string) =>
  new RegExp(`name="${kind}" value="${channel}" checked=""`).test(html);

before(async () => {
  p = await startTestPlatform();
  me = await client(p).register('13700000821', 821);
});
after(() => p?.stop());

describe('the notification settings page', () => {
  test('every kind with its channels, mandatory ones marked, in zh-CN, en and cs; no e-mail and no push explained with links', async () => {
    const en = await page('/me/notifications');
    for (const k of [
      'Security alerts',
      'Security incidents',
      'Legal notices',
      'Policy changes',
      'Service updates',
      'Surveys',
    ])
      assert.match(en, new RegExp(`<legend>${k}</legend>`));
    assert.equal((en.match(/it cannot be switched off/g) ?? []).length, 3);
    assert.match(
      en,
      /You have no verified e-mail address[^<]*<a href="\/me\/email">Add an e-mail address<\/a>/,
    );
    assert.match(en, /No browser of yours has push notifications turned on\.[^<]*<a href="\/me\/push">/);
    assert.ok(checked(en, 'security', 'sms'));
    assert.ok(!checked(en, 'survey', 'sms'));
    const zh = await page('/me/notifications', 'zh-CN');
    assert.match(zh, /<legend>安全提醒<\/legend>/);
    assert.match(zh, /无法关闭/);
    const cs = await page('/me/notifications', 'cs');
    assert.match(cs, /<legend>Bezpečnostní upozornění<\/legend>/);
    assert.match(cs, /nelze vypnout/);
  });

  test('an optional kind is switched off and stays off', async () => {
    const res = await post([
      ['sent', '1'],
      ['security', 'sms'],
      ['incident', 'sms'],
      ['incident', 'mail'],
      ['legal', 'sms'],
      ['policy', 'mail'],
    ]);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/me/notifications?notice=saved');
    const html = await page('/me/notifications?notice=saved');
    assert.match(html, /Your choices are saved/);
    assert.ok(!checked(html, 'service', 'push'));
    assert.ok(checked(html, 'incident', 'mail'));
    assert.ok(!checked(html, 'security', 'push'));
  });

  test('a mandatory kind with no channel is refused readably, the boxes kept as ticked, nothing saved', async () => {
    const saved = await (await api('GET')).json();
    const res = await post(
      [
        ['sent', '1'],
        ['incident', 'push'],
        ['legal', 'sms'],
        ['service', 'mail'],
        ['survey', 'push'],
      ],
      'cs',
    );
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /Bezpečnostní upozornění, oznámení o incidentech a zákonná oznámení nelze vypnout/);
    assert.match(html, /Nic nebylo uloženo/);
    assert.match(html, /<a href="#kind-security">/);
    assert.match(html, /href="\/privacy#/);
    assert.ok(checked(html, 'survey', 'push'), 'what was ticked stays ticked');
    assert.ok(checked(html, 'service', 'mail'));
    assert.ok(!checked(html, 'security', 'sms'));
    assert.deepEqual(await (await api('GET')).json(), saved, 'nothing was saved');
  });

  test('the JSON twin reads and saves the same choices, and refuses a mandatory kind with none as problem+json', async () => {
    const ok = await api('PUT', { kinds: [{ kind: 'survey', channels: ['mail'] }] });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { kinds: { kind: string; channels: string[]; mandatory: boolean }[] };
    assert.deepEqual(body.kinds.find((k) => k.kind === 'survey')?.channels, ['mail']);
    assert.equal(body.kinds.find((k) => k.kind === 'legal')?.mandatory, true);
    const refused = await api('PUT', {
      kinds: [
        { kind: 'survey', channels: [] },
        { kind: 'legal', channels: [] },
      ],
    });
    assert.equal(refused.status, 422);
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await refused.json()) as { code: string }).code, 'notify.mandatory_needs_channel');
    const after = (await (await api('GET')).json()) as typeof body;
    assert.deepEqual(after.kinds.find((k) => k.kind === 'survey')?.channels, ['mail'], 'nothing saved');
  });
});

/**
 * Invariant (P7.2i.notify, issue 13's journey): in chromium, a person adds an e-mail address
 * and proves it with the mailed code, turns push on in this browser; a security officer opens
 * an incident in the console, records what the notice needs, scopes it, sees the count before
 * anything is sent, freezes it, records the report and sends the notice; the notice then
 * reaches the person's mailbox (a real SMTP conversation), their browser's push service (the
 * payload decrypted) and their inbox, and the home page shows the announcement.
 *
 * One substitution, and only one: headless chromium's push service is Google's, which this
 * machine cannot reach, so the page's PushManager hands out a subscription of the local push
 * endpoint (test/support/push-endpoint.ts) instead. The push page's script, the service worker
 * under the CSP, the subscription API, the encryption and the delivery are all real.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { beijingValue } from '../../src/web/admin/incidents/parts.tsx';
import { launchBrowser } from '../support/browser.ts';
import { idNumberFor } from '../support/citizen.ts';
import { registerCitizen, type Citizen } from '../support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { startPushEndpoint, type PushEndpoint } from '../support/push-endpoint.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { signInStaff } from '../support/staff.ts';

let p: TestPlatform;
let sink: SmtpSink;
let push: PushEndpoint;
let browser: Browser;

async function contextWith(cookie: string, locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale });
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
    }),
  );
  return context;
}

describe('an incident told to a person, in chromium', () => {
  before(async () => {
    sink = await startSmtpSink();
    push = await startPushEndpoint();
    p = await startTestPlatform({ SMTP_URL: sink.url, SMTP_REQUIRE_TLS: 'false' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p?.stop();
    await push?.close();
    await sink?.close();
  });

  test('P7.2i.notify: e-mail verified, push on, the officer scopes, counts and sends; mail, push, inbox and home page show it', async () => {
    const me: Citizen = await registerCitizen(p, '13800002451', idNumberFor(2451), {
      name: '测试',
      password: 'a test password',
    });

    // The person: an e-mail address, proved with the code the sink received.
    const person = await contextWith(me.cookie, 'en-US');
    await person.grantPermissions(['notifications'], { origin: p.url });
    const subscription = push.subscription();
    // A string, not a function: tsx's transform would wrap a function's inner names in a
    // helper the page does not have.
    await person.addInitScript(`(() => {
      const sub = ${JSON.stringify(subscription)};
      let given = false;
      const handed = { endpoint: sub.endpoint, options: {}, toJSON: () => sub, unsubscribe: async () => true };
      PushManager.prototype.subscribe = async () => { given = true; return handed; };
      PushManager.prototype.getSubscription = async () => (given ? handed : null);
    })();`);
    const page = await person.newPage();
    await page.goto(`${p.url}/me/email`);
    await page.locator('#email').fill('li.na@example.cn');
    await page.getByRole('button', { name: 'Send a code to this address' }).click();
    const [codeMail] = await sink.waitFor(1);
    const code = /\b(\d{6})\b/.exec(codeMail!.mail.text ?? '')![1]!;
    await page.locator('#code').fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.locator('strong[data-email="true"]', { hasText: 'li.na@example.cn' }).waitFor();

    // Push on in this browser.
    await page.goto(`${p.url}/me/push`);
    await page.getByRole('button', { name: 'Turn on in this browser' }).click();
    await page.locator('#push [data-state="on"]:not([hidden])').waitFor({ timeout: 20_000 });

    // The officer, in the console.
    await p.staff.create(
      {
        email: 'security@civitas.example',
        displayName: '李安全',
        role: 'security_officer',
        password: 'staff password 123',
      },
      { type: 'system', id: 'test' },
    );
    const officer = await contextWith(
      await signInStaff(p.url, 'security@civitas.example', 'staff password 123'),
      'en-US',
    );
    const desk = await officer.newPage();
    await desk.goto(`${p.url}/admin/incidents`);
    await desk.locator('#title').fill('日志库未授权访问');
    await desk.locator('#summary').fill('安全监测发现日志库被批量查询。');
    await desk.locator('#detectedAt').fill(beijingValue(new Date(Date.now() - 20 * 60_000)));
    await desk.locator('#systems').fill('统一身份认证');
    await desk.locator('input[name="categories"][value="contact"]').check();
    await desk.getByRole('button', { name: 'Open the incident' }).click();
    await desk.waitForURL(/\/admin\/incidents\/[0-9a-f-]{36}\?done=opened$/);
    const id = /\/admin\/incidents\/([0-9a-f-]{36})/.exec(desk.url())![1]!;

    await desk.locator('#record-harm').fill('手机号码和邮箱可能被他人获取。');
    await desk.locator('#record-measures').fill('已封禁来源地址并轮换凭据。');
    await desk.locator('#record-contact').fill('12345');
    await desk.getByRole('button', { name: 'Save the record' }).click();
    await desk.getByRole('button', { name: 'Mark as assessed' }).click();
    await desk.locator('[data-state="assessed"]').first().waitFor();

    const now = new Date();
    await desk.locator('#scope-from').fill(beijingValue(new Date(now.getTime() - 3_600_000)));
    await desk.locator('#scope-to').fill(beijingValue(new Date(now.getTime() + 3_600_000)));
    await desk.locator('#scope-accounts').fill(me.subjectId);
    await desk.getByRole('button', { name: 'Count the affected people' }).click();
    assert.match(await desk.locator('#counted').innerText(), /nothing sent yet\): 1$/);
    assert.equal(sink.received.length, 1, 'counting sent nothing');
    await desk.getByRole('button', { name: 'Freeze the affected people' }).click();
    assert.match(await desk.locator('#frozen').innerText(), /: 1$/);

    await desk.goto(`${p.url}/admin/incidents/${id}/report`);
    assert.match(await desk.locator('#report').innerText(), /事件名称：日志库未授权访问/);
    await desk.locator('#channel').fill('网信部门报送平台');
    await desk.locator('#reference').fill('CAC-2026-0107');
    await desk.getByRole('button', { name: 'Record the submission' }).click();
    await desk.locator('[data-clock="reported"]').first().waitFor();

    await desk.goto(`${p.url}/admin/incidents/${id}`);
    await desk.getByRole('button', { name: 'Send the notice' }).click();
    assert.match(await desk.locator('#sent').innerText(), /: 1$/);

    // The platform's drain job, run now rather than waiting for its schedule.
    await p.notify.drainOutbox();
    const mails = await sink.waitFor(2);
    const notice = mails.find((m) => m.mail.subject === 'Civitas security incident notice');
    assert.ok(notice, `mail subjects: ${mails.map((m) => m.mail.subject).join(' | ')}`);
    assert.deepEqual(notice.envelope.to, ['li.na@example.cn']);
    assert.match(notice.mail.text ?? '', /已封禁来源地址并轮换凭据。/);
    const pushed = push.received;
    assert.equal(pushed.length, 1, `push refused: ${JSON.stringify(push.refused)}`);
    assert.equal(pushed[0]!.endpoint, subscription.endpoint);
    assert.match(pushed[0]!.payload, /Civitas security incident notice/);

    await desk.reload();
    assert.match(await desk.locator('#progress').innerText(), /sent/i);

    // The person: the inbox, and the announcement on the home page.
    await page.goto(`${p.url}/me/inbox`);
    await page.getByText('Civitas security incident notice').first().waitFor();
    await page.goto(`${p.url}/`);
    const announcements = page.getByRole('region', { name: 'Announcements' });
    await announcements.getByText('Civitas security incident notice').waitFor();

    await officer.close();
    await person.close();
  });
});

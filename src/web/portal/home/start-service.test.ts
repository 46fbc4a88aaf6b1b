/**
 * Invariant: the catalogue lets a person start a service — each service whose department
 * registered a home address links there (it opens the service's single sign-on); a service
 * without one has no link; only http(s) addresses registered by staff are linked, and the
 * department's page gets no handle on the portal's window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../kernel/errors.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
const SERVICE = 'housing-fund-account';

const home = async (lang = 'en') =>
  (await fetch(`${p.url}/`, { headers: { cookie: `civitas_lang=${lang}` } })).text();
/** The `<li>` of one service on the home page (its name in English). */
const itemOf = (html: string, name: string) => {
  const at = html.indexOf(`<strong>${name}</strong>`);
  assert.ok(at > 0, `${name} is listed`);
  return html.slice(at, html.indexOf('</li>', html.indexOf('</details>', at) + 1));
};

async function register(homeUri?: string) {
  const before = (await p.registry.find(SERVICE))!;
  return p.registry.register(
    {
      clientId: SERVICE,
      serviceSlug: SERVICE,
      redirectUris: before.redirectUris,
      policyUrl: before.policyUrl,
      dpaReference: before.dpaReference,
      fields: before.fields,
      assuranceLevel: before.assuranceLevel,
      ...(homeUri === undefined ? {} : { homeUri }),
    },
    { type: 'system', id: 'test' },
  );
}

describe('starting a service from the catalogue', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('each registered service links to its department’s home address, which starts its sign-in', async () => {
    const html = await home();
    const app = p.config.departmentAppUrl.replace(/\/$/, '');
    const links =
      html.match(/<a class="button" href="[^"]*" rel="noopener noreferrer">Go to the service/g) ?? [];
    assert.equal(links.length, (await p.registry.list()).filter((r) => r.homeUri).length);
    assert.ok(links.length > 0);
    assert.match(
      itemOf(html, 'Public transport card'),
      new RegExp(
        `<a class="button" href="${app}/login" rel="noopener noreferrer">Go to the service<span class="visually-hidden">: Public transport card</span></a>`,
      ),
    );
  });

  test('P1.2 the address a department registers is the one linked, in every language', async () => {
    await register('https://housing.example/start?from=civitas');
    const en = itemOf(await home(), 'Provident fund account');
    assert.match(en, /href="https:\/\/housing.example\/start\?from=civitas" rel="noopener noreferrer"/);
    assert.match(
      await home('zh-CN'),
      /href="https:\/\/housing.example\/start\?from=civitas" rel="noopener noreferrer">前往办理/,
    );
    assert.match(
      await home('cs'),
      /href="https:\/\/housing.example\/start\?from=civitas" rel="noopener noreferrer">Přejít ke službě/,
    );
  });

  test('a service without a home address offers no link', async () => {
    await register();
    assert.doesNotMatch(itemOf(await home(), 'Provident fund account'), /Go to the service/);
  });

  test('P1.2 only http(s) addresses can be registered as a service’s home', async () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<p>x',
      'ftp://housing.example/',
      'http://evil.example/',
      '//housing.example/',
    ]) {
      await assert.rejects(
        register(bad),
        (err: unknown) => err instanceof AppError && err.code === 'catalogue.invalid_registration',
        bad,
      );
    }
    assert.doesNotMatch(await home(), /javascript:|data:text|ftp:/);
  });
});

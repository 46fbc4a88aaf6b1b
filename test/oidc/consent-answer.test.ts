/**
 * Invariant (P5.1.1 consent evidence; P9 versioned texts): one answer on the SSO consent
 * screen is recorded in one transaction (its consents, their audit entries, the declined
 * fields, the grant and the interaction's result), so a failure at any step leaves none of
 * them; the screen is worded from the `sso-consent-screen` policy document, and the exact
 * text a person agreed to is produced again from their consent record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as client from 'openid-client';
import { hashOf } from '../../src/modules/policy/index.ts';
import { registerCitizen, type Citizen } from '../support/citizens.ts';
import { authorize, CALLBACK, follow, form, relyingParty } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let rp: client.Configuration;

/** What one person's answers left behind, table by table. */
async function recorded(subjectId: string) {
  const q = (sql: string) =>
    p.database.owner.query<{ n: number }>(sql, [subjectId]).then((r) => r.rows[0]!.n);
  return {
    consents: await q('SELECT count(*)::int AS n FROM consent WHERE subject_id = $1'),
    audited: await q(
      `SELECT count(*)::int AS n FROM audit_entry WHERE subject_id = $1 AND action = 'consent.given'`,
    ),
    declined: await q('SELECT count(*)::int AS n FROM oidc_declined_field WHERE subject_id = $1'),
    grants: await q(
      `SELECT count(*)::int AS n FROM oidc_model WHERE kind = 'Grant' AND payload->>'accountId' = $1`,
    ),
  };
}

/** Opens the consent screen; returns its page and where its form posts. */
async function consentScreen(person: Citizen) {
  const a = await authorize(p, rp, person.cookie, { scope: 'openid name phone', consent: false });
  const html = a.consentPage;
  assert.ok(html, `the consent screen is shown: ${a.hop.url}`);
  const action = /action="(\/oidc\/interaction\/[^"]+\/consent)"/.exec(html)![1]!;
  return { html, action: `${p.url}${action}`, jar: a.jar };
}

describe('one answer on the consent screen', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const { secret } = await p.registry.register(
      {
        clientId: 'answer-test',
        serviceSlug: 'housing-fund-account',
        redirectUris: [CALLBACK],
        postLogoutRedirectUris: ['http://localhost:9/'],
        policyUrl: 'https://answer-test.example/privacy',
        dpaReference: 'DPA-answer-test',
        fields: [
          { field: 'name', purpose: 'service-provision', retentionDays: 365, required: true },
          { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
        ],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, 'answer-test', secret);
  });
  after(() => p.stop());

  test('P5.1.1 a failure at the answer’s last step leaves no consent, audit entry, declined field or grant', async () => {
    const person = await registerCitizen(p, '13612340101', '110105198001010016', { name: '王芳' });
    const screen = await consentScreen(person);
    // The failing step: saving the interaction's result, after consents, declined fields and grant.
    await p.database.owner.query(`
      CREATE FUNCTION test_fail_interaction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$;
      CREATE TRIGGER test_fail_interaction BEFORE INSERT OR UPDATE ON oidc_model
        FOR EACH ROW WHEN (NEW.kind = 'Interaction') EXECUTE FUNCTION test_fail_interaction();`);
    try {
      const failed = await follow(p, screen.jar, screen.action, form({ decision: 'allow' }));
      assert.equal(failed.status, 500, failed.body);
    } finally {
      await p.database.owner.query(
        'DROP TRIGGER test_fail_interaction ON oidc_model; DROP FUNCTION test_fail_interaction()',
      );
    }
    assert.deepEqual(await recorded(person.subjectId), { consents: 0, audited: 0, declined: 0, grants: 0 });

    // The same answer again, with nothing failing: all of it is recorded, together.
    const done = await follow(p, screen.jar, screen.action, form({ decision: 'allow' }));
    assert.ok(done.url.startsWith(CALLBACK), `continued to the service: ${done.url} ${done.body ?? ''}`);
    assert.deepEqual(await recorded(person.subjectId), { consents: 1, audited: 1, declined: 1, grants: 1 });
  });

  test('P5.1.1 P9.version the screen is worded from its policy document, and the exact text agreed to is produced from the consent', async () => {
    const person = await registerCitizen(p, '13612340102', '110105198502020028', { name: '李明' });
    const screen = await consentScreen(person);
    const wording = await p.policy.inEffect('sso-consent-screen', 'en');
    assert.equal(wording.form, 'template');
    for (const line of wording.text.split('\n')) {
      if (line.startsWith('sensitive: ')) continue; // shown only when a sensitive field is asked
      const part = line.slice(line.indexOf(': ') + 2);
      assert.ok(screen.html.includes(part), `the page shows "${part}"`);
    }
    assert.match(screen.html, new RegExp(`name="wording" value="en/${wording.version}"`));

    const done = await follow(
      p,
      screen.jar,
      screen.action,
      form({ decision: 'allow', field: 'phone', wording: `en/${wording.version}` }),
    );
    assert.ok(done.url.startsWith(CALLBACK), done.body ?? done.url);
    const [given] = await p.consent.of(person.subjectId);
    assert.ok(given);
    const shown = await p.consent.textShown(given.id);
    assert.deepEqual(shown.document, {
      documentId: 'sso-consent-screen',
      version: wording.version,
      language: 'en',
    });
    assert.ok(shown.text, 'the text is kept');
    assert.ok(hashOf(shown.text).equals(given.textHash), 'its SHA-256 is the one recorded with the consent');
    const lines = shown.text.split('\n');
    assert.equal(lines[0], 'Share your data with this service?');
    assert.ok(
      lines.some((l) => l.includes('DPA-answer-test')),
      'the service’s agreement is in the text',
    );
    assert.ok(
      lines.some((l) => l.startsWith('Mobile number') && l.includes('30 days') && l.endsWith('optional')),
      shown.text,
    );
  });

  test('P5.1.1 an answer is recorded under the wording read; one never published is not recorded and the screen is shown again', async () => {
    const person = await registerCitizen(p, '13612340103', '110105199003030031', { name: '张伟' });
    const screen = await consentScreen(person);
    const res = await follow(
      p,
      screen.jar,
      screen.action,
      form({ decision: 'allow', wording: 'en/1999-01' }),
    );
    assert.equal(res.status, 409);
    assert.match(res.body!, /The wording of this screen has changed since you opened it/);
    assert.match(res.body!, /name="wording" value="en\/2026-01"/);
    assert.deepEqual(await recorded(person.subjectId), { consents: 0, audited: 0, declined: 0, grants: 0 });
    // The wording read is what is recorded, even if the browser's language changed since.
    const cs = await follow(p, screen.jar, screen.action, form({ decision: 'allow', wording: 'cs/2026-01' }));
    assert.ok(cs.url.startsWith(CALLBACK), cs.body ?? cs.url);
    const [given] = await p.consent.of(person.subjectId);
    const shown = await p.consent.textShown(given!.id);
    assert.equal(shown.document?.language, 'cs');
    assert.equal(shown.text?.split('\n')[0], 'Sdílet vaše údaje s touto službou?');
  });
});

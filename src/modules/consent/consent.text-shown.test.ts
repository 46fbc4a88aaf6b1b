/**
 * Invariant (P2.1, P5.1.1): a consent names the policy document, version and language its
 * text came from, and the exact text shown can be produced from the record for any consent
 * ever given, with the SHA-256 recorded at the time; the database refuses a consent whose
 * text it could not produce, and never lets its evidence change. Consents given before
 * documents existed are linked only where their hash proves which text they were given on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listMigrations, migrate } from '../../kernel/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { createPolicyService, documentIds, hashOf } from '../policy/index.ts';

let e: PrivacyEngine;
let person: string;

const refusedWith = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

describe('the exact text of a consent', () => {
  before(async () => {
    e = await startPrivacyEngine();
    person = await e.vault.createSubject('person');
  });
  after(() => e.close());

  test('P2.1 the separate face-image consent is produced word for word from its record, with its hash', async () => {
    const document = { documentId: documentIds.faceImageConsent, version: '1', language: 'cs' } as const;
    const c = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'real-name-verification',
        categories: ['biometric'],
        channel: 'portal',
        shown: { document },
        explicitSeparate: true,
      },
      { type: 'self', id: person },
    );
    assert.deepEqual(
      [c.documentId, c.documentVersion, c.documentLanguage, c.policyVersion],
      ['face-image-consent', '1', 'cs', '1'],
    );
    const shown = await e.consent.textShown(c.id);
    assert.deepEqual(shown.document, document);
    assert.equal(
      shown.text,
      'Uchovat snímek mého obličeje pro rychlejší budoucí ověření. Jde o samostatný souhlas s uložením citlivého osobního údaje; mohu ho kdykoli odvolat v části „Moje souhlasy“.',
    );
    assert.ok(hashOf(shown.text).equals(c.textHash));
  });

  test('P5.1.1 a consent names a published document, and shows its text or a kept rendering of it', async () => {
    const give = (shown: Parameters<typeof e.consent.give>[0]['shown']) =>
      e.consent.give(
        {
          subjectId: person,
          kind: 'use',
          purpose: 'survey',
          categories: ['contact'],
          channel: 'portal',
          shown,
        },
        { type: 'self', id: person },
      );
    await assert.rejects(
      give({ document: { documentId: 'no-such-text', version: '1', language: 'en' } }),
      refusedWith('policy.unknown_document'),
    );
    await assert.rejects(
      give({
        document: { documentId: documentIds.faceImageConsent, version: '1', language: 'en' },
        text: 'Keep my face image forever.',
      }),
      refusedWith('policy.text_not_of_document'),
      'a text document is shown as it stands',
    );
    await assert.rejects(
      give({ document: { documentId: documentIds.ssoConsentScreen, version: '2026-01', language: 'en' } }),
      refusedWith('policy.text_not_of_document'),
      'a template needs the text filled in from it',
    );
    // Below the service: the database itself refuses a consent it could not produce the text of.
    const insert = (doc: string | null, hash: string) =>
      e.t.db.query(
        `INSERT INTO consent (subject_id, kind, purpose, categories, sensitive, policy_version, channel, text_hash,
                              document_id, document_version, document_language)
         VALUES ($1, 'use', 'survey', '{contact}', false, '1', 'portal', sha256(convert_to($3, 'UTF8')),
                 $2, CASE WHEN $2::text IS NULL THEN NULL ELSE '1' END, CASE WHEN $2::text IS NULL THEN NULL ELSE 'en' END)`,
        [person, doc, hash],
      );
    await assert.rejects(insert(null, 'x'), /names the policy document/);
    await assert.rejects(
      insert('face-image-consent', 'a text never shown'),
      /one of its document's kept texts/,
    );
  });

  test('P5.1.1 the evidence of a consent never changes once recorded', async () => {
    const c = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'real-name-verification',
        categories: ['biometric'],
        channel: 'portal',
        shown: { document: { documentId: documentIds.faceImageConsent, version: '1', language: 'en' } },
        explicitSeparate: true,
      },
      { type: 'self', id: person },
    );
    for (const set of [
      `document_language = 'zh-CN'`,
      `text_hash = sha256('something else')`,
      `policy_version = '2'`,
    ]) {
      await assert.rejects(
        e.t.owner.query(`UPDATE consent SET ${set} WHERE id = $1`, [c.id]),
        /never changed/,
        set,
      );
    }
    await e.consent.withdraw(c.id, { type: 'self', id: person }); // its state still changes
    assert.ok((await e.consent.textShown(c.id)).text);
  });
});

describe('consents given before policy documents', () => {
  let t: TestDatabase;
  let old: PrivacyEngine;
  const subject = '00000000-0000-4000-8000-000000000001';
  const faceEn =
    'Keep my face image to speed up future checks. This is separate consent to storing sensitive personal information; I can withdraw it at any time under “My consents”.';

  before(async () => {
    // A database as it was before migration 0019, holding consents given then.
    t = await createTestDatabase('empty');
    await t.db.query(
      `CREATE TABLE schema_migration (version integer PRIMARY KEY, name text NOT NULL,
         checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const m of listMigrations().filter((x) => x.version < 19)) {
      await t.db.query(m.sql);
      await t.db.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
    }
    const give = (purpose: string, categories: string[], version: string, channel: string, text: string) =>
      t.db.query(
        `INSERT INTO consent (subject_id, kind, purpose, categories, sensitive, policy_version, channel, text_hash)
         VALUES ($1, 'use', $2, $3, $4, $5, $6, sha256(convert_to($7, 'UTF8'))) RETURNING id`,
        [subject, purpose, categories, categories.includes('biometric'), version, channel, text],
      );
    await give('real-name-verification', ['biometric'], '1', 'portal', faceEn);
    await give(
      'service-provision',
      ['identity'],
      '2026-01',
      'sso-consent-screen',
      'A service (A department) …',
    );
    await migrate(t.db);
    old = await startPrivacyEngine({ t, dataDir: mkdtempSync(join(tmpdir(), 'civitas-policy-')) });
  });
  after(async () => {
    await old.close();
    await t.drop();
  });

  test('P5.1.1 an old consent is linked to a document only where its hash proves the text; otherwise it says the text was not kept', async () => {
    const [face, sso] = [...(await old.consent.of(subject))].sort((a, b) =>
      a.channel.localeCompare(b.channel),
    );
    assert.equal(face?.channel, 'portal');
    assert.equal(sso?.channel, 'sso-consent-screen');
    const proved = await old.consent.textShown(face.id);
    assert.deepEqual(proved.document, { documentId: 'face-image-consent', version: '1', language: 'en' });
    assert.equal(proved.text, faceEn);
    const unproved = await old.consent.textShown(sso.id);
    assert.deepEqual([unproved.document, unproved.text], [null, null]);
    assert.ok(unproved.textHash.equals(hashOf('A service (A department) …')), 'its hash is kept as it was');
    // Its documents are those every database has.
    assert.ok(
      await createPolicyService({ db: t.db }).find({
        documentId: 'privacy-policy',
        version: '0',
        language: 'zh-CN',
      }),
    );
  });
});

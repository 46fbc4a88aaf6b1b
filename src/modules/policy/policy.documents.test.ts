/**
 * Invariant (P9): every policy document (the privacy policy, every consent text) is kept
 * per version and language with its exact text, the SHA-256 of that text's bytes and the
 * date it takes effect; a published text is never edited or removed, by anyone: a change
 * is a new version, which takes over only from its effective date.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { createPolicyService, documentIds, partsOf, type PolicyService } from './index.ts';

let t: TestDatabase;
let policy: PolicyService;
const languages = ['zh-CN', 'en', 'cs'] as const;

const refusedWith = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

describe('policy documents', () => {
  before(async () => {
    t = await createTestDatabase();
    policy = createPolicyService({ db: t.db });
  });
  after(() => t.drop());

  test('P9.version each document is kept in every language with its exact text, the hash of its bytes and its effective date', async () => {
    const all = await policy.list();
    for (const id of Object.values(documentIds)) {
      for (const language of languages) {
        const doc = await policy.inEffect(id, language);
        assert.ok(doc.text.length > 20, `${id} (${language}) has a text`);
        const bytes = Buffer.from(doc.text, 'utf8');
        assert.ok(createHash('sha256').update(bytes).digest().equals(doc.textHash), `${id} hash`);
        assert.ok(doc.effectiveFrom <= new Date(), `${id} is in effect`);
        assert.ok(
          all.some((d) => d.documentId === id && d.version === doc.version && d.language === language),
        );
      }
    }
    // The texts moved here word for word from the UI strings they replace.
    assert.equal(
      (await policy.inEffect(documentIds.faceImageConsent, 'en')).text,
      'Keep my face image to speed up future checks. This is separate consent to storing sensitive personal information; I can withdraw it at any time under “My consents”.',
    );
    assert.match((await policy.inEffect(documentIds.privacyPolicy, 'en')).text, /placeholder/);
    // A template is one `name: text` line per part, with the same parts in every language.
    const names: string[][] = [];
    for (const language of languages) {
      const doc = await policy.inEffect(documentIds.ssoConsentScreen, language);
      assert.equal(doc.form, 'template');
      assert.ok(
        doc.text.split('\n').every((l) => /^[a-z][a-z-]*: \S/.test(l)),
        doc.text,
      );
      names.push(doc.text.split('\n').map((l) => l.slice(0, l.indexOf(':'))));
      assert.doesNotThrow(() => partsOf(doc, names[0]!));
    }
    assert.deepEqual(names[1], names[0]);
    assert.deepEqual(names[2], names[0]);
  });

  test('P9.version a published text is never changed or removed, not even by the schema owner', async () => {
    for (const sql of [
      `UPDATE policy_document SET body = body || '.' WHERE document_id = 'face-image-consent'`,
      `DELETE FROM policy_document WHERE document_id = 'privacy-policy'`,
      'TRUNCATE policy_document CASCADE',
    ]) {
      await assert.rejects(t.owner.query(sql), /never changed or removed/, sql);
      await assert.rejects(t.db.query(sql), /permission denied|never changed or removed/, sql);
    }
    // A hash that is not of the exact text is refused, whoever writes it.
    await assert.rejects(
      t.owner.query(
        `INSERT INTO policy_document (document_id, version, language, form, body, text_hash, effective_from)
         VALUES ('privacy-policy', '9', 'en', 'text', 'A text', sha256('another text'), now())`,
      ),
      /policy_document_hash_of_body/,
    );
    await assert.rejects(
      policy.publish({
        documentId: documentIds.privacyPolicy,
        version: '0',
        language: 'en',
        form: 'text',
        text: 'An edited placeholder',
        effectiveFrom: new Date(),
      }),
      refusedWith('policy.already_published'),
    );
  });

  test('P9.version a change is a new version, in effect only from its effective date', async () => {
    const before = await policy.inEffect(documentIds.privacyPolicy, 'cs');
    const from = new Date(Date.now() + 30 * 86_400_000);
    const next = await policy.publish({
      documentId: documentIds.privacyPolicy,
      version: '1',
      language: 'cs',
      form: 'text',
      text: 'Zásady ochrany osobních údajů, verze 1.',
      effectiveFrom: from,
    });
    // Publishing the same version and text again changes nothing.
    assert.ok(
      (
        await policy.publish({
          documentId: documentIds.privacyPolicy,
          version: '1',
          language: 'cs',
          form: 'text',
          text: 'Zásady ochrany osobních údajů, verze 1.',
          effectiveFrom: from,
        })
      ).textHash.equals(next.textHash),
    );
    assert.equal((await policy.inEffect(documentIds.privacyPolicy, 'cs')).version, before.version);
    assert.equal(
      (await policy.inEffect(documentIds.privacyPolicy, 'cs', new Date(from.getTime() + 1000))).version,
      '1',
    );
    // The earlier version stays, word for word.
    assert.equal((await policy.find(before))?.text, before.text);
  });
});

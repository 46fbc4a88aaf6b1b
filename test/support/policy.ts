/**
 * Consent texts for tests that give consents of their own: a `template` policy document
 * published once per database, from which any text may be shown (as the SSO screen's
 * wording is filled in), so each consent still names a document and keeps its exact text.
 */
import type { Database } from '../../src/kernel/db/database.ts';
import { createPolicyService, type ShownText } from '../../src/modules/policy/index.ts';

const WORDING = { documentId: 'test-consent', version: '1', language: 'en' } as const;

export async function testShown(db: Database, text: string): Promise<ShownText> {
  await createPolicyService({ db }).publish({
    ...WORDING,
    form: 'template',
    text: 'text: a consent text written by a test',
    effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  });
  return { document: WORDING, text };
}

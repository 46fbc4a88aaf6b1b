/**
 * The privacy policy versions shipped with Civitas (documents/privacy-policy/): published at
 * every start, which is a no-op once they are (the store refuses a changed text under an
 * existing version, so an edited file stops the start: a change is a new version, drafted
 * in the console or shipped as a new file with its own effective date).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { locales } from '../../kernel/locale.ts';
import { documentIds, type PolicyService } from './policy.service.ts';
import { parsePolicyText } from './policy.text.ts';
import * as repo from './policy.versions.repository.ts';

const dir = new URL('./documents/privacy-policy/', import.meta.url);
const manifest = z.array(
  z.strictObject({ version: z.string().min(1), effectiveFrom: z.string().datetime(), note: z.string() }),
);

/** The bundled versions, each with its text per language (checked as a policy text). */
export function bundledVersions() {
  return manifest.parse(JSON.parse(readFileSync(new URL('versions.json', dir), 'utf8'))).map((v) => {
    const texts = Object.fromEntries(
      locales.map((l) => {
        const text = readFileSync(new URL(`${v.version}.${l}.txt`, dir), 'utf8');
        const parsed = parsePolicyText(text);
        if (!parsed.ok) throw new Error(`privacy policy ${v.version} (${l}): ${parsed.problem}`);
        return [l, text];
      }),
    );
    return { ...v, effectiveFrom: new Date(v.effectiveFrom), texts };
  });
}

export async function publishBundled(db: Database, policy: PolicyService): Promise<void> {
  for (const v of bundledVersions()) {
    await db.tx(async (q) => {
      for (const language of locales)
        await policy.publishIn(q, {
          documentId: documentIds.privacyPolicy,
          version: v.version,
          language,
          form: 'text',
          text: v.texts[language]!,
          effectiveFrom: v.effectiveFrom,
        });
      await repo.insertVersion(q, {
        documentId: documentIds.privacyPolicy,
        version: v.version,
        state: 'scheduled',
        material: false,
        changedSections: [],
        changedPurposes: [],
        summary: {},
        draftTexts: {},
        createdBy: 'bundled',
        effectiveFrom: v.effectiveFrom,
        scheduledAt: v.effectiveFrom,
        scheduledBy: 'bundled',
      });
    });
  }
}

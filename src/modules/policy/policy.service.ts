/**
 * Policy documents: the one store of the texts a person is shown and agrees to.
 *
 * Rules:
 * - P9 each document (privacy policy, every consent text) is kept per version and
 *   language with its exact text, the SHA-256 of that text's UTF-8 bytes, and the date it
 *   takes effect; the version in effect is the latest whose date has come.
 * - P9 a published text is never edited or removed (enforced by triggers in SQL): a change
 *   is a new version. Publishing the same version again with the same text is a no-op,
 *   with another text a refusal.
 * - P5.1.1 / P2.1 the evidence of a consent is a document reference plus the hash of the
 *   exact text shown; `keep` stores what is needed to produce that text again (nothing for
 *   a `text` document, whose text is its own; the filled-in text for a `template`), in
 *   the caller's transaction, so a consent cannot be recorded with a text that is lost.
 * - A `template` document is the wording of a screen: one `name: text` line per part.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import { policyErrors } from './policy.errors.ts';
import * as repo from './policy.repository.ts';
import { clock } from '../../kernel/clock.ts';

/** The documents the platform publishes today (a test may publish others). */
export const documentIds = {
  privacyPolicy: 'privacy-policy',
  faceImageConsent: 'face-image-consent',
  ssoConsentScreen: 'sso-consent-screen',
} as const;

export interface DocumentRef {
  documentId: string;
  version: string;
  language: Locale;
}

export interface PolicyDocument extends DocumentRef {
  form: 'text' | 'template';
  /** The exact text, byte for byte as published. */
  text: string;
  textHash: Buffer;
  effectiveFrom: Date;
  publishedAt: Date;
}

/** What a person was shown: a document, and for a template the text filled in from it. */
export interface ShownText {
  document: DocumentRef;
  /** Required for a `template` document; for a `text` document, if given, must be its text. */
  text?: string;
}

export const hashOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const toDocument = (r: repo.DocumentRow): PolicyDocument => ({
  documentId: r.documentId,
  version: r.version,
  language: r.language as Locale,
  form: r.form,
  text: r.body,
  textHash: r.textHash,
  effectiveFrom: r.effectiveFrom,
  publishedAt: r.publishedAt,
});

export const refOf = (d: DocumentRef): DocumentRef => ({
  documentId: d.documentId,
  version: d.version,
  language: d.language,
});

/** The parts of a template document (`name: text` per line), each named part required. */
export function partsOf<const N extends string>(doc: PolicyDocument, names: readonly N[]): Record<N, string> {
  const parts = new Map<string, string>();
  for (const line of doc.text.split('\n')) {
    const m = /^([a-z][a-z-]*): (.*)$/.exec(line);
    if (!m) throw new Error(`${doc.documentId} ${doc.version} ${doc.language}: not a "name: text" line`);
    parts.set(m[1]!, m[2]!);
  }
  const out = {} as Record<N, string>;
  for (const n of names) {
    const v = parts.get(n);
    if (v === undefined) throw new Error(`${doc.documentId} ${doc.version} ${doc.language}: no part ${n}`);
    out[n] = v;
  }
  return out;
}

export interface PolicyService {
  /** The version in effect now (or at `at`) in this language; refused when there is none. */
  inEffect(documentId: string, language: Locale, at?: Date): Promise<PolicyDocument>;
  /** One published version, or undefined. */
  find(ref: DocumentRef): Promise<PolicyDocument | undefined>;
  /** Every published version of every document, oldest first. */
  list(): Promise<PolicyDocument[]>;
  /** Publishes a new version; the same version and text again is a no-op. */
  publish(
    d: DocumentRef & { form: PolicyDocument['form']; text: string; effectiveFrom: Date },
  ): Promise<PolicyDocument>;
  /** As `publish`, on the caller's transaction (a scheduled version publishes all its languages at once). */
  publishIn(
    q: Queryable,
    d: DocumentRef & { form: PolicyDocument['form']; text: string; effectiveFrom: Date },
  ): Promise<PolicyDocument>;
  /**
   * Keeps what is needed to produce `shown` again, on the caller's transaction, and returns
   * the document and the hash of the exact text shown (the consent's evidence).
   */
  keep(q: Queryable, shown: ShownText): Promise<{ document: PolicyDocument; textHash: Buffer }>;
  /** The exact text behind `textHash` shown from this document; undefined if never kept. */
  textOf(ref: DocumentRef, textHash: Buffer, q?: Queryable): Promise<string | undefined>;
}

export function createPolicyService(deps: { db: Database }): PolicyService {
  const { db } = deps;
  // Published rows never change, so a version once read is kept for the process's life.
  const known = new Map<string, PolicyDocument>();
  const key = (r: DocumentRef) => `${r.documentId}\u0000${r.version}\u0000${r.language}`;

  const find = async (ref: DocumentRef, q: Queryable = db) => {
    const hit = known.get(key(ref));
    if (hit) return hit;
    const row = await repo.findDocument(q, ref.documentId, ref.version, ref.language);
    if (!row) return undefined;
    const doc = toDocument(row);
    known.set(key(ref), doc);
    return doc;
  };

  const service: PolicyService = {
    async inEffect(documentId, language, at = clock.date()) {
      const row = await repo.documentInEffect(db, documentId, language, at);
      if (!row) throw new AppError(policyErrors.unknown_document, `${documentId} (${language})`);
      return toDocument(row);
    },

    find: (ref) => find(ref),

    list: async () => (await repo.allDocuments(db)).map(toDocument),

    publish(d) {
      return service.publishIn(db, d);
    },

    async publishIn(q, d) {
      const textHash = hashOf(d.text);
      const row = await repo.insertDocument(q, {
        documentId: d.documentId,
        version: d.version,
        language: d.language,
        form: d.form,
        body: d.text,
        textHash,
        effectiveFrom: d.effectiveFrom,
      });
      if (row) return toDocument(row);
      const existing = await find(d, q);
      if (!existing || !existing.textHash.equals(textHash) || existing.form !== d.form)
        throw new AppError(policyErrors.already_published, `${d.documentId} ${d.version} (${d.language})`);
      return existing;
    },

    async keep(q, shown) {
      const document = await find(shown.document, q);
      if (!document) throw new AppError(policyErrors.unknown_document);
      if (document.form === 'text') {
        if (shown.text !== undefined && shown.text !== document.text)
          throw new AppError(policyErrors.text_not_of_document);
        return { document, textHash: document.textHash };
      }
      if (shown.text === undefined || shown.text === '')
        throw new AppError(policyErrors.text_not_of_document);
      const textHash = hashOf(shown.text);
      await repo.keepRendering(q, { ...refOf(document), textHash, body: shown.text });
      return { document, textHash };
    },

    async textOf(ref, textHash, q = db) {
      const document = await find(ref, q);
      if (!document) return undefined;
      if (document.form === 'text') return document.textHash.equals(textHash) ? document.text : undefined;
      return repo.findRendering(q, ref.documentId, ref.version, ref.language, textHash);
    },
  };
  return service;
}

/** SQL for consent records. */
import type { Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import type { ConsentState } from './consent.lifecycle.ts';

export interface ConsentRow {
  id: string;
  subjectId: string;
  kind: 'use' | 'share' | 'transfer' | 'cross-border';
  purpose: string;
  categories: string[];
  sensitive: boolean;
  recipientType: string | null;
  recipientId: string | null;
  policyVersion: string;
  channel: string;
  textHash: Buffer;
  /** The policy document the text shown came from; null only for consents given before 0019 whose text was not kept. */
  documentId: string | null;
  documentVersion: string | null;
  documentLanguage: string | null;
  givenAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  state: ConsentState;
}

const COLUMNS = `id, subject_id AS "subjectId", kind, purpose, categories, sensitive,
  recipient_type AS "recipientType", recipient_id AS "recipientId", policy_version AS "policyVersion",
  channel, text_hash AS "textHash", document_id AS "documentId", document_version AS "documentVersion",
  document_language AS "documentLanguage", given_at AS "givenAt", expires_at AS "expiresAt", withdrawn_at AS "withdrawnAt", state`;

export async function insertConsent(
  q: Queryable,
  c: Omit<ConsentRow, 'id' | 'givenAt' | 'withdrawnAt' | 'state'>,
): Promise<ConsentRow> {
  const { rows } = await q.query<ConsentRow>(
    `INSERT INTO consent (subject_id, kind, purpose, categories, sensitive, recipient_type, recipient_id,
                          policy_version, channel, text_hash, expires_at,
                          document_id, document_version, document_language, given_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${COLUMNS}`,
    [
      c.subjectId,
      c.kind,
      c.purpose,
      c.categories,
      c.sensitive,
      c.recipientType,
      c.recipientId,
      c.policyVersion,
      c.channel,
      c.textHash,
      c.expiresAt,
      c.documentId,
      c.documentVersion,
      c.documentLanguage,
      // The clock seam, as the audit entry of the same consent: a policy change in effect
      // from a date compares with when the consent was given (P9.accept).
      clock.date(),
    ],
  );
  return rows[0]!;
}

export async function consentsOf(q: Queryable, subjectId: string): Promise<ConsentRow[]> {
  const { rows } = await q.query<ConsentRow>(
    `SELECT ${COLUMNS} FROM consent WHERE subject_id = $1 ORDER BY given_at DESC`,
    [subjectId],
  );
  return rows;
}

/**
 * The people with a consent not withdrawn for any of these recipients (the clients of one
 * service), by subject id after `after`, at most `limit` (keyset pages).
 */
export async function subjectsOfRecipients(
  q: Queryable,
  recipientType: string,
  recipientIds: readonly string[],
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ subject_id: string }>(
    `SELECT DISTINCT subject_id FROM consent
      WHERE recipient_type = $1 AND recipient_id = ANY ($2::text[]) AND state = 'given'
        AND ($3::uuid IS NULL OR subject_id > $3::uuid)
      ORDER BY subject_id LIMIT $4`,
    [recipientType, recipientIds, after, limit],
  );
  return rows.map((r) => r.subject_id);
}

/** Moves a consent from `from` to `to` (withdrawn); undefined if it was no longer in `from`. */
export async function withdraw(
  q: Queryable,
  id: string,
  from: ConsentState,
  to: ConsentState,
): Promise<ConsentRow | undefined> {
  const { rows } = await q.query<ConsentRow>(
    `UPDATE consent SET state = $3, withdrawn_at = now() WHERE id = $1 AND state = $2 RETURNING ${COLUMNS}`,
    [id, from, to],
  );
  return rows[0];
}

export async function findConsent(q: Queryable, id: string): Promise<ConsentRow | undefined> {
  const { rows } = await q.query<ConsentRow>(`SELECT ${COLUMNS} FROM consent WHERE id = $1`, [id]);
  return rows[0];
}

export const CHANNEL = 'civitas_consent';

export async function notifyChanged(q: Queryable, subjectId: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [CHANNEL, subjectId]);
}

/** Of these people, those with a consent in force that covers the category (the retention purge's check). */
export async function holdersOfLiveConsent(
  q: Queryable,
  subjects: readonly string[],
  category: string,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT DISTINCT subject_id::text AS id FROM consent
      WHERE subject_id = ANY($1::uuid[]) AND state = 'given' AND $2 = ANY(categories)
        AND (expires_at IS NULL OR expires_at > now())`,
    [subjects, category],
  );
  return rows.map((r) => r.id);
}

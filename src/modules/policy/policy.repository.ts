/** SQL for policy documents and the texts rendered from them. */
import type { Queryable } from '../../kernel/db/database.ts';

export interface DocumentRow {
  documentId: string;
  version: string;
  language: string;
  form: 'text' | 'template';
  body: string;
  textHash: Buffer;
  effectiveFrom: Date;
  publishedAt: Date;
}

const COLUMNS = `document_id AS "documentId", version, language, form, body, text_hash AS "textHash",
  effective_from AS "effectiveFrom", published_at AS "publishedAt"`;

export async function findDocument(
  q: Queryable,
  documentId: string,
  version: string,
  language: string,
): Promise<DocumentRow | undefined> {
  const { rows } = await q.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM policy_document WHERE document_id = $1 AND version = $2 AND language = $3`,
    [documentId, version, language],
  );
  return rows[0];
}

/** The version in effect at `at`: the latest whose effective date has come. */
export async function documentInEffect(
  q: Queryable,
  documentId: string,
  language: string,
  at: Date,
): Promise<DocumentRow | undefined> {
  const { rows } = await q.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM policy_document
      WHERE document_id = $1 AND language = $2 AND effective_from <= $3
      ORDER BY effective_from DESC, published_at DESC LIMIT 1`,
    [documentId, language, at],
  );
  return rows[0];
}

/** Every published version of every document, oldest first. */
export async function allDocuments(q: Queryable): Promise<DocumentRow[]> {
  const { rows } = await q.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM policy_document ORDER BY document_id, effective_from, version, language`,
  );
  return rows;
}

export async function insertDocument(
  q: Queryable,
  d: Omit<DocumentRow, 'publishedAt'>,
): Promise<DocumentRow | undefined> {
  const { rows } = await q.query<DocumentRow>(
    `INSERT INTO policy_document (document_id, version, language, form, body, text_hash, effective_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [d.documentId, d.version, d.language, d.form, d.body, d.textHash, d.effectiveFrom],
  );
  return rows[0];
}

export async function keepRendering(
  q: Queryable,
  r: { documentId: string; version: string; language: string; textHash: Buffer; body: string },
): Promise<void> {
  await q.query(
    `INSERT INTO policy_rendering (document_id, version, language, text_hash, body)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [r.documentId, r.version, r.language, r.textHash, r.body],
  );
}

export async function findRendering(
  q: Queryable,
  documentId: string,
  version: string,
  language: string,
  textHash: Buffer,
): Promise<string | undefined> {
  const { rows } = await q.query<{ body: string }>(
    `SELECT body FROM policy_rendering
      WHERE document_id = $1 AND version = $2 AND language = $3 AND text_hash = $4`,
    [documentId, version, language, textHash],
  );
  return rows[0]?.body;
}

/** SQL for linked accounts and authorisation requests in flight. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { FlowState } from './linked.lifecycle.ts';

export interface LinkRow {
  id: string;
  provider: string;
  linkedAt: Date;
}

export interface FlowRow {
  provider: string;
  mode: 'link' | 'login';
  subjectId: string | null;
  nonce: string;
  verifier: string;
  next: string | null;
}

export async function insertFlow(q: Queryable, stateHash: Buffer, f: FlowRow): Promise<void> {
  await q.query(
    `INSERT INTO linked_flow (state_hash, provider, mode, subject_id, nonce, verifier, next, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + interval '10 minutes')`,
    [stateHash, f.provider, f.mode, f.subjectId, f.nonce, f.verifier, f.next],
  );
  // Used and abandoned flows go as new ones start: nothing else needs them.
  await q.query(`DELETE FROM linked_flow WHERE state = 'used' OR expires_at < now() - interval '1 hour'`);
}

export async function findFlow(
  q: Queryable,
  stateHash: Buffer,
): Promise<(FlowRow & { state: FlowState; expiresAt: Date }) | undefined> {
  const { rows } = await q.query<FlowRow & { state: FlowState; expiresAt: Date }>(
    `SELECT provider, mode, subject_id AS "subjectId", nonce, verifier, next, state, expires_at AS "expiresAt"
       FROM linked_flow WHERE state_hash = $1`,
    [stateHash],
  );
  return rows[0];
}

/** Moves the flow from `from` to `to` (used, once); false if another callback took it first. */
export async function moveFlow(
  q: Queryable,
  stateHash: Buffer,
  from: FlowState,
  to: FlowState,
): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE linked_flow SET state = $3 WHERE state_hash = $1 AND state = $2 AND expires_at > now()',
    [stateHash, from, to],
  );
  return rowCount === 1;
}

export async function subjectOfLink(
  q: Queryable,
  provider: string,
  subHash: Buffer,
): Promise<string | undefined> {
  const { rows } = await q.query<{ subject_id: string }>(
    'SELECT subject_id FROM linked_account WHERE provider = $1 AND sub_hash = $2',
    [provider, subHash],
  );
  return rows[0]?.subject_id;
}

/** Inserts the link; on conflict says which uniqueness rule refused it. */
export async function insertLink(
  q: Queryable,
  subjectId: string,
  provider: string,
  subHash: Buffer,
): Promise<{ id: string } | { conflict: 'identity' | 'provider' }> {
  try {
    const { rows } = await q.query<{ id: string }>(
      'INSERT INTO linked_account (subject_id, provider, sub_hash) VALUES ($1, $2, $3) RETURNING id',
      [subjectId, provider, subHash],
    );
    return { id: rows[0]!.id };
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code !== '23505') throw err;
    return { conflict: e.constraint === 'linked_account_subject_id_provider_key' ? 'provider' : 'identity' };
  }
}

export async function linksOf(q: Queryable, subjectId: string): Promise<LinkRow[]> {
  const { rows } = await q.query<LinkRow>(
    'SELECT id, provider, linked_at AS "linkedAt" FROM linked_account WHERE subject_id = $1 ORDER BY linked_at',
    [subjectId],
  );
  return rows;
}

export async function deleteLink(q: Queryable, subjectId: string, id: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query<{ provider: string }>(
    'DELETE FROM linked_account WHERE id = $1 AND subject_id = $2 RETURNING provider',
    [id, subjectId],
  );
  return rows[0]?.provider;
}

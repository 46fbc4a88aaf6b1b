/**
 * All SQL on `citizen_account` (only the account module touches the table; the sign-in
 * path and staff support call these through its index.ts). No rules here: the services
 * decide, these read and write.
 */
import type { Queryable } from '../../kernel/db/database.ts';

export interface AccountCredentials {
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  /** The person said a sign-in or change was not them: a new password first (activity module). */
  renewal_required: boolean;
}

/**
 * The credentials and lock-out state of one account, as the text of a one-row SELECT
 * (no row when there is no such account) that another module may compose into its own
 * statement through index.ts: the sign-in path reads it with the risk facts in one round
 * trip (`modules/signin/risk.ts`). `subject` is the placeholder of the account's id.
 * The SQL on the table stays here; the caller only places it.
 */
export const credentialsRow = (subject: string) =>
  `SELECT password_hash, failed_logins, locked_until, password_renewal_required_at IS NOT NULL AS renewal_required
     FROM citizen_account WHERE subject_id = ${subject}`;

/** The credentials and lock-out state (named: prepared once per connection, hot path). */
export async function credentials(q: Queryable, subjectId: string): Promise<AccountCredentials | undefined> {
  const { rows } = await q.query<AccountCredentials>(
    { name: 'identity-account', text: credentialsRow('$1') },
    [subjectId],
  );
  return rows[0];
}

export async function passwordHash(q: Queryable, subjectId: string): Promise<string | null | undefined> {
  const { rows } = await q.query<{ password_hash: string | null }>(
    'SELECT password_hash FROM citizen_account WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0]?.password_hash;
}

/** A new account at level L1. */
export async function insertAccount(q: Queryable, subjectId: string, hash: string): Promise<void> {
  await q.query(
    'INSERT INTO citizen_account (subject_id, password_hash, assurance_level) VALUES ($1, $2, 1)',
    [subjectId, hash],
  );
}

export async function setFailedLogins(q: Queryable, subjectId: string, failed: number): Promise<void> {
  await q.query('UPDATE citizen_account SET failed_logins = $2 WHERE subject_id = $1', [subjectId, failed]);
}

export async function setPasswordHash(q: Queryable, subjectId: string, hash: string): Promise<void> {
  await q.query('UPDATE citizen_account SET password_hash = $2 WHERE subject_id = $1', [subjectId, hash]);
}

/**
 * A new password after a reset: the failure count, any lock and any demand for a new
 * password go with the old one.
 */
export async function resetPassword(q: Queryable, subjectId: string, hash: string): Promise<void> {
  await q.query(
    `UPDATE citizen_account SET password_hash = $2, failed_logins = 0, locked_until = NULL,
            password_renewal_required_at = NULL
      WHERE subject_id = $1`,
    [subjectId, hash],
  );
}

/**
 * No sign-in completes until the password is reset (the person reported a sign-in or a
 * change that was not them); returns whether the account exists.
 */
export async function requirePasswordRenewal(q: Queryable, subjectId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE citizen_account SET password_renewal_required_at = coalesce(password_renewal_required_at, now()) WHERE subject_id = $1',
    [subjectId],
  );
  return !!rowCount;
}

/** Clears the failure count and lock; returns whether the account exists. */
export async function clearFailures(q: Queryable, subjectId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE citizen_account SET failed_logins = 0, locked_until = NULL WHERE subject_id = $1',
    [subjectId],
  );
  return !!rowCount;
}

export interface AccountOverview {
  assurance_level: number;
  locked_until: Date | null;
  failed_logins: number;
  created_at: Date;
}

/** What staff support sees of an account (no credentials). */
export async function overview(q: Queryable, subjectId: string): Promise<AccountOverview | undefined> {
  const { rows } = await q.query<AccountOverview>(
    'SELECT assurance_level, locked_until, failed_logins, created_at FROM citizen_account WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0];
}

/** The account's lifecycle state; `forUpdate` locks the row for a transition. */
export async function stateOf(q: Queryable, subjectId: string, o: { forUpdate?: boolean } = {}) {
  const { rows } = await q.query<{ state: string }>(
    `SELECT state FROM citizen_account WHERE subject_id = $1${o.forUpdate ? ' FOR UPDATE' : ''}`,
    [subjectId],
  );
  return rows[0]?.state;
}

export async function setState(q: Queryable, subjectId: string, state: string): Promise<void> {
  await q.query('UPDATE citizen_account SET state = $2 WHERE subject_id = $1', [subjectId, state]);
}

/** The assurance level (named when read plainly: it runs on every provider login). */
export async function levelOf(q: Queryable, subjectId: string, o: { forUpdate?: boolean } = {}) {
  const { rows } = await q.query<{ assurance_level: number }>(
    o.forUpdate
      ? 'SELECT assurance_level FROM citizen_account WHERE subject_id = $1 FOR UPDATE'
      : {
          name: 'identity-assurance-level',
          text: 'SELECT assurance_level FROM citizen_account WHERE subject_id = $1',
        },
    [subjectId],
  );
  return rows[0]?.assurance_level;
}

export async function setLevel(q: Queryable, subjectId: string, level: number): Promise<void> {
  await q.query('UPDATE citizen_account SET assurance_level = $2 WHERE subject_id = $1', [subjectId, level]);
}

/**
 * Which of these ids are accounts (an incident scoped to named accounts, P7.2i): the rest
 * are reported to the officer, not dropped. Ids that are not UUIDs are simply not accounts.
 */
export async function existingAccounts(q: Queryable, ids: readonly string[]): Promise<string[]> {
  const uuids = ids.filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  if (uuids.length === 0) return [];
  const { rows } = await q.query<{ id: string }>(
    'SELECT subject_id AS id FROM citizen_account WHERE subject_id = ANY ($1::uuid[]) ORDER BY subject_id',
    [uuids],
  );
  return rows.map((r) => r.id);
}

/** Accounts not closed, after `after` in id order: the people a notice to everyone goes to (P9.notice). */
export async function openAccountsAfter(
  q: Queryable,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT subject_id AS id FROM citizen_account
      WHERE state <> 'closed' AND ($1::uuid IS NULL OR subject_id > $1::uuid)
      ORDER BY subject_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.id);
}

/** When an account was opened (undefined: no such account). */
export async function openedAt(q: Queryable, subjectId: string): Promise<Date | undefined> {
  const { rows } = await q.query<{ at: Date }>(
    'SELECT created_at AS at FROM citizen_account WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0]?.at;
}

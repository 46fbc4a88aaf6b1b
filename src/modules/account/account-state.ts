/**
 * The state of a citizen account (`citizen_account.state`), changed only along
 * account.lifecycle.ts.
 *
 * Rules:
 * - A change happens inside the caller's transaction and is audited there
 *   (`identity.account_<state>`, from, event), like the assurance level.
 * - An event the table does not allow is refused with `identity.account_transition`, and
 *   the table's SQL trigger refuses it again should anything write the column directly.
 */
import type { Queryable } from '../../db/database.ts';
import type { AuditEntryInput, AuditService } from '../audit/index.ts';
import { accountLifecycle, type AccountEvent, type AccountState } from './account.lifecycle.ts';

export async function accountState(q: Queryable, subjectId: string): Promise<AccountState | undefined> {
  const { rows } = await q.query<{ state: AccountState }>(
    'SELECT state FROM citizen_account WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0]?.state;
}

/** Applies `event` in the caller's transaction; the new state, or undefined without an account. */
export async function changeAccountState(
  q: Queryable,
  audit: AuditService,
  c: {
    subjectId: string;
    event: AccountEvent;
    actor: AuditEntryInput['actor'];
    clause?: string;
    requestId?: string | undefined;
  },
): Promise<AccountState | undefined> {
  const { rows } = await q.query<{ state: AccountState }>(
    'SELECT state FROM citizen_account WHERE subject_id = $1 FOR UPDATE',
    [c.subjectId],
  );
  const from = rows[0]?.state;
  if (from === undefined) return undefined;
  const to = accountLifecycle.next(from, c.event);
  await q.query('UPDATE citizen_account SET state = $2 WHERE subject_id = $1', [c.subjectId, to]);
  await audit.append(q, {
    actor: c.actor,
    action: `identity.account_${to}`,
    subject: { type: 'person', id: c.subjectId },
    ...(c.clause ? { clause: c.clause } : {}),
    detail: { from, event: c.event },
    requestId: c.requestId ?? null,
  });
  return to;
}

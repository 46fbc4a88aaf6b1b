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
import type { Queryable } from '../../kernel/db/database.ts';
import type { AuditEntryInput, AuditService } from '../audit/index.ts';
import * as repo from './account.repository.ts';
import { accountLifecycle, type AccountEvent, type AccountState } from './account.lifecycle.ts';

export async function accountState(q: Queryable, subjectId: string): Promise<AccountState | undefined> {
  return (await repo.stateOf(q, subjectId)) as AccountState | undefined;
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
  const from = (await repo.stateOf(q, c.subjectId, { forUpdate: true })) as AccountState | undefined;
  if (from === undefined) return undefined;
  const to = accountLifecycle.next(from, c.event);
  await repo.setState(q, c.subjectId, to);
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

/** SQL for the outbox (notify_outbox, migration 0017). */
import type { Queryable } from '../../kernel/db/database.ts';
import { outboxLifecycle } from './notify.lifecycle.ts';
import type { FailureCode, OutboxState } from './notify.states.ts';

/**
 * The states a drain may claim from, as the lifecycle table says (written into the SQL, not
 * bound, so the planner can use the partial index `notify_outbox_due_idx` on the same list).
 */
const CLAIMABLE = outboxLifecycle
  .statesAllowing('claim')
  .map((s) => `'${s}'`)
  .join(', ');
import type { ChannelId, TemplateId } from './notify.templates.ts';

export interface OutboxRow {
  id: string;
  subjectId: string;
  template: string;
  channel: string;
  locale: string;
  params: Record<string, unknown>;
  attempts: number;
}

export async function insertMessage(
  q: Queryable,
  m: {
    id?: string | undefined;
    subjectId: string;
    template: TemplateId;
    channel: ChannelId;
    locale: string;
    params: Record<string, unknown>;
    due?: Date | undefined;
  },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO notify_outbox (id, subject_id, template, channel, locale, params, due_at, next_attempt_at)
     VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6, COALESCE($7, now()), COALESCE($7, now()))
     RETURNING id`,
    [m.id ?? null, m.subjectId, m.template, m.channel, m.locale, m.params, m.due ?? null],
  );
  return rows[0]!.id;
}

/**
 * Takes up to `limit` due messages of these channels for this drain: state `sending`, one
 * attempt more, and a lease (`next_attempt_at`) after which another drain may take over.
 * One statement: the rows are locked while it runs, and a concurrent drain skips them
 * (SKIP LOCKED) instead of waiting; once it commits they are no longer due. A message left
 * `sending` by a drain that died is due again when its lease ends.
 */
export async function claimDue(
  q: Queryable,
  channels: readonly string[],
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  const { rows } = await q.query<OutboxRow>(
    `UPDATE notify_outbox o
        SET state = 'sending', attempts = o.attempts + 1,
            next_attempt_at = now() + make_interval(secs => $3)
      WHERE o.id IN (SELECT id FROM notify_outbox
                      WHERE state IN (${CLAIMABLE}) AND next_attempt_at <= now()
                        AND channel = ANY ($1::text[])
                      ORDER BY next_attempt_at
                      LIMIT $2
                      FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.subject_id AS "subjectId", o.template, o.channel, o.locale, o.params, o.attempts`,
    [channels, limit, leaseSeconds],
  );
  return rows;
}

/**
 * The outcome of one attempt. Applies only while this claim holds (same attempt, still
 * sending): a drain whose lease ran out and was taken over changes nothing.
 */
export async function settle(
  q: Queryable,
  id: string,
  attempt: number,
  outcome:
    | { state: 'sent' }
    | { state: 'retrying'; code: FailureCode; retryInSeconds: number }
    | { state: 'failed'; code: FailureCode },
): Promise<boolean> {
  const { rowCount } =
    outcome.state === 'sent'
      ? await q.query(
          `UPDATE notify_outbox SET state = 'sent', sent_at = now(), last_error = NULL
            WHERE id = $1 AND attempts = $2 AND state = 'sending'`,
          [id, attempt],
        )
      : await q.query(
          `UPDATE notify_outbox
              SET state = $3, last_error = $4,
                  next_attempt_at = CASE WHEN $3 = 'retrying' THEN now() + make_interval(secs => $5) ELSE next_attempt_at END
            WHERE id = $1 AND attempts = $2 AND state = 'sending'`,
          [
            id,
            attempt,
            outcome.state,
            outcome.code,
            outcome.state === 'retrying' ? outcome.retryInSeconds : 0,
          ],
        );
  return rowCount === 1;
}

export async function statesOf(q: Queryable, ids: readonly string[]): Promise<Map<string, OutboxState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; state: OutboxState }>(
    'SELECT id, state FROM notify_outbox WHERE id = ANY ($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.state]));
}

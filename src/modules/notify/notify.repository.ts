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
import { reachableSql } from './notify.reach.ts';
import { channels as allChannels, type ChannelId, type Kind, type TemplateId } from './notify.templates.ts';

/** A claimed delivery, with what its notification says (template, language, parameters). */
export interface OutboxRow {
  id: string;
  notificationId: string;
  subjectId: string;
  template: string;
  channel: string;
  locale: string;
  params: Record<string, unknown>;
  attempts: number;
}

/**
 * The channels a message of `kind` goes by for each person of `s`: their choice (or the
 * default), kept to what the template allows and what can reach them; when that leaves
 * nothing for a mandatory kind, the fallback. One SQL expression (over `s.subject_id` and
 * `p`, the person's preference row), so a single message and a notice to millions choose
 * alike. `$defaults`, `$allowed` and `$fallback` are text[] parameters.
 */
function chosenChannelsSql(defaults: string, allowed: string, fallback: string): string {
  const picks = allChannels
    .map(
      (c) =>
        `CASE WHEN '${c}' = ANY (COALESCE(p.channels, ${defaults})) AND '${c}' = ANY (${allowed}) AND (${reachableSql[c]}) THEN '${c}' END`,
    )
    .join(', ');
  const chosen = `array_remove(ARRAY[${picks}]::text[], NULL)`;
  return `(CASE WHEN cardinality(${chosen}) > 0 THEN ${chosen} ELSE ${fallback} END)`;
}

export interface ChannelRule {
  kind: Kind;
  defaults: readonly ChannelId[];
  allowed: readonly ChannelId[];
  fallback: readonly ChannelId[];
}

/** The person's language for messages no request speaks for (a notice to many). */
export async function rememberLocale(q: Queryable, subjectId: string, locale: string): Promise<void> {
  await q.query(
    `INSERT INTO notify_person (subject_id, locale) VALUES ($1, $2)
     ON CONFLICT (subject_id) DO UPDATE SET locale = EXCLUDED.locale, updated_at = now()
       WHERE notify_person.locale <> EXCLUDED.locale`,
    [subjectId, locale],
  );
}

/**
 * One person's message: the notification (their inbox entry) and a delivery for each channel
 * it goes by, due when it may be shown. Returns the notification's id and its channels.
 */
export async function insertMessage(
  q: Queryable,
  m: {
    id?: string | undefined;
    subjectId: string;
    template: TemplateId;
    locale: string;
    params: Record<string, unknown>;
    due?: Date | undefined;
  },
  rule: ChannelRule,
): Promise<{ id: string; channels: ChannelId[] }> {
  const { rows } = await q.query<{ id: string; channels: ChannelId[] }>(
    `WITH s AS (SELECT $2::uuid AS subject_id),
          n AS (INSERT INTO notification (id, subject_id, template, kind, params, locale, visible_from)
                VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $7, $5, $4, COALESCE($6, now()))
                RETURNING id, subject_id, visible_from),
          c AS (SELECT ${chosenChannelsSql('$8::text[]', '$9::text[]', '$10::text[]')} AS channels
                  FROM s LEFT JOIN notify_preference p ON p.subject_id = s.subject_id AND p.kind = $7),
          d AS (INSERT INTO notify_outbox (notification_id, subject_id, channel, due_at, next_attempt_at)
                SELECT n.id, n.subject_id, ch, n.visible_from, n.visible_from
                  FROM n, c, unnest(c.channels) AS ch)
     SELECT n.id, c.channels FROM n, c`,
    [
      m.id ?? null,
      m.subjectId,
      m.template,
      m.locale,
      m.params,
      m.due ?? null,
      rule.kind,
      rule.defaults,
      rule.allowed,
      rule.fallback,
    ],
  );
  return rows[0]!;
}

/**
 * A time-ordered id for row `i` of a fan-out batch: the batch's millisecond (48 bits), a
 * version nibble 7, the row number (20 bits), 56 random bits. A notice to a million people
 * writes its ids in ascending order, so the primary keys and `notify_outbox_once_per_channel`
 * grow at their right edge instead of touching random pages of indexes larger than the
 * cache (random ids made each batch of 20,000 four times slower by the millionth person,
 * bench/incident-fanout-1m). Two batches in the same millisecond differ by the random part.
 */
const orderedId = (i: string) =>
  `(lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' ||
    lpad(to_hex(${i}), 5, '0') || substr(md5(random()::text || clock_timestamp()::text), 1, 14))::uuid`;

/** A notice to many people, written once (found again by its key). */
export async function upsertNotice(
  q: Queryable,
  n: { key: string; template: TemplateId; params: Record<string, unknown>; drill: boolean },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO notify_notice (key, template, params, drill) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
     RETURNING id`,
    [n.key, n.template, n.params, n.drill],
  );
  return rows[0]!.id;
}

/**
 * A notice's copies for these people, and their deliveries, in two statements whatever the
 * number of people; a person who already has it is skipped (nothing goes twice). Each copy
 * is in the person's remembered language (zh-CN when none). Returns how many copies and
 * deliveries per channel were written.
 */
export async function fanOut(
  q: Queryable,
  noticeId: string,
  template: TemplateId,
  subjectIds: readonly string[],
  rule: ChannelRule,
): Promise<{ notifications: number; deliveries: Partial<Record<ChannelId, number>> }> {
  const { rows } = await q.query<{ channel: ChannelId | null; n: number; copies: number }>(
    `WITH s AS (SELECT subject_id, row_number() OVER (ORDER BY subject_id) AS i
                  FROM (SELECT DISTINCT unnest($2::uuid[]) AS subject_id) u),
          n AS (INSERT INTO notification (id, subject_id, notice_id, template, kind, locale)
                SELECT ${orderedId('s.i')}, s.subject_id, $1, $3, $4, COALESCE(np.locale, 'zh-CN')
                  FROM s LEFT JOIN notify_person np ON np.subject_id = s.subject_id
                ON CONFLICT (notice_id, subject_id) DO NOTHING
                RETURNING id, subject_id),
          d AS (INSERT INTO notify_outbox (id, notification_id, subject_id, channel)
                SELECT ${orderedId('row_number() OVER (ORDER BY s.id)')}, s.id, s.subject_id, ch
                  FROM n AS s
                  LEFT JOIN notify_preference p ON p.subject_id = s.subject_id AND p.kind = $4,
                       unnest(${chosenChannelsSql('$5::text[]', '$6::text[]', '$7::text[]')}) AS ch
                RETURNING channel)
     SELECT d.channel, count(*)::int AS n, (SELECT count(*)::int FROM n) AS copies FROM d GROUP BY d.channel
     UNION ALL SELECT NULL, 0, (SELECT count(*)::int FROM n)`,
    [noticeId, subjectIds, template, rule.kind, rule.defaults, rule.allowed, rule.fallback],
  );
  const deliveries: Partial<Record<ChannelId, number>> = {};
  for (const r of rows) if (r.channel) deliveries[r.channel] = r.n;
  return { notifications: rows[0]?.copies ?? 0, deliveries };
}

/** What a notice would write for these people, writing nothing (a drill). */
export async function fanOutDryRun(
  q: Queryable,
  noticeId: string,
  subjectIds: readonly string[],
  rule: ChannelRule,
): Promise<{ notifications: number; deliveries: Partial<Record<ChannelId, number>> }> {
  const { rows } = await q.query<{ channel: ChannelId | null; n: number; copies: number }>(
    `WITH s AS (SELECT DISTINCT unnest($2::uuid[]) AS subject_id),
          fresh AS (SELECT s.subject_id FROM s
                     WHERE NOT EXISTS (SELECT 1 FROM notification x WHERE x.notice_id = $1 AND x.subject_id = s.subject_id)),
          d AS (SELECT ch AS channel
                  FROM fresh AS s
                  LEFT JOIN notify_preference p ON p.subject_id = s.subject_id AND p.kind = $3,
                       unnest(${chosenChannelsSql('$4::text[]', '$5::text[]', '$6::text[]')}) AS ch)
     SELECT d.channel, count(*)::int AS n, (SELECT count(*)::int FROM fresh) AS copies FROM d GROUP BY d.channel
     UNION ALL SELECT NULL, 0, (SELECT count(*)::int FROM fresh)`,
    [noticeId, subjectIds, rule.kind, rule.defaults, rule.allowed, rule.fallback],
  );
  const deliveries: Partial<Record<ChannelId, number>> = {};
  for (const r of rows) if (r.channel) deliveries[r.channel] = r.n;
  return { notifications: rows[0]?.copies ?? 0, deliveries };
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
       FROM notification n LEFT JOIN notify_notice nn ON nn.id = n.notice_id
      WHERE n.id = o.notification_id
        AND o.id IN (SELECT id FROM notify_outbox
                      WHERE state IN (${CLAIMABLE}) AND next_attempt_at <= now()
                        AND channel = ANY ($1::text[])
                      ORDER BY next_attempt_at
                      LIMIT $2
                      FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.notification_id AS "notificationId", o.subject_id AS "subjectId", n.template,
                o.channel, n.locale, COALESCE(nn.params, '{}') || n.params AS params, o.attempts`,
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

/**
 * Many attempts that went through, in one statement (a drained batch): each applies only
 * while its claim holds, as `settle` does. Returns the ids recorded as sent.
 */
export async function settleSent(
  q: Queryable,
  sent: readonly { id: string; attempt: number }[],
): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const { rows } = await q.query<{ id: string }>(
    {
      name: 'notify-outbox-settle-sent',
      text: `UPDATE notify_outbox o SET state = 'sent', sent_at = now(), last_error = NULL
               FROM unnest($1::uuid[], $2::int[]) AS s(id, attempt)
              WHERE o.id = s.id AND o.attempts = s.attempt AND o.state = 'sending'
             RETURNING o.id`,
    },
    [sent.map((s) => s.id), sent.map((s) => s.attempt)],
  );
  return new Set(rows.map((r) => r.id));
}

/** Each notification's deliveries: channel and state (a notification of none went to the inbox only). */
export async function deliveriesOf(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, { channel: ChannelId; state: OutboxState; sentAt: Date | null }[]>> {
  const out = new Map<string, { channel: ChannelId; state: OutboxState; sentAt: Date | null }[]>();
  if (ids.length === 0) return out;
  const { rows: known } = await q.query<{ id: string }>(
    'SELECT id FROM notification WHERE id = ANY ($1::uuid[])',
    [ids],
  );
  for (const r of known) out.set(r.id, []);
  const { rows } = await q.query<{ id: string; channel: ChannelId; state: OutboxState; sentAt: Date | null }>(
    `SELECT notification_id AS id, channel, state, sent_at AS "sentAt" FROM notify_outbox
      WHERE notification_id = ANY ($1::uuid[]) ORDER BY channel`,
    [ids],
  );
  for (const r of rows) out.get(r.id)?.push({ channel: r.channel, state: r.state, sentAt: r.sentAt });
  return out;
}

export interface InboxRow {
  id: string;
  template: string;
  kind: Kind;
  locale: string;
  params: Record<string, unknown>;
  at: Date;
  readAt: Date | null;
}

/** The person's messages that may be shown, newest first; `before` pages on (at, id). */
export async function inboxOf(
  q: Queryable,
  subjectId: string,
  opts: { limit: number; before?: { at: Date; id: string } | undefined },
): Promise<InboxRow[]> {
  const { rows } = await q.query<InboxRow>(
    `SELECT n.id, n.template, n.kind, n.locale, COALESCE(nn.params, '{}') || n.params AS params,
            n.visible_from AS at, n.read_at AS "readAt"
       FROM notification n LEFT JOIN notify_notice nn ON nn.id = n.notice_id
      WHERE n.subject_id = $1 AND n.visible_from <= now()
        AND ($3::timestamptz IS NULL OR (n.visible_from, n.id) < ($3, $4::uuid))
      ORDER BY n.visible_from DESC, n.id DESC
      LIMIT $2`,
    [subjectId, opts.limit, opts.before?.at ?? null, opts.before?.id ?? null],
  );
  return rows;
}

export async function unreadCount(q: Queryable, subjectId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notification
      WHERE subject_id = $1 AND read_at IS NULL AND visible_from <= now()`,
    [subjectId],
  );
  return rows[0]!.n;
}

/** Marks the person's message (or all of them) read; another person's id changes nothing. */
export async function markRead(q: Queryable, subjectId: string, id: string | 'all'): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE notification SET read_at = now()
      WHERE subject_id = $1 AND read_at IS NULL AND visible_from <= now()
        AND ($2::uuid IS NULL OR id = $2::uuid)`,
    [subjectId, id === 'all' ? null : id],
  );
  return rowCount ?? 0;
}

export async function preferencesOf(q: Queryable, subjectId: string): Promise<Map<Kind, ChannelId[]>> {
  const { rows } = await q.query<{ kind: Kind; channels: ChannelId[] }>(
    'SELECT kind, channels FROM notify_preference WHERE subject_id = $1',
    [subjectId],
  );
  return new Map(rows.map((r) => [r.kind, r.channels]));
}

export async function setPreference(
  q: Queryable,
  subjectId: string,
  kind: Kind,
  channels: readonly ChannelId[],
): Promise<void> {
  await q.query(
    `INSERT INTO notify_preference (subject_id, kind, channels) VALUES ($1, $2, $3)
     ON CONFLICT (subject_id, kind) DO UPDATE SET channels = EXCLUDED.channels, updated_at = now()`,
    [subjectId, kind, channels],
  );
}

/** Which channels can reach the person now (notify.reach.ts). */
export async function reachableChannels(q: Queryable, subjectId: string): Promise<ChannelId[]> {
  const cols = allChannels.map((c) => `(${reachableSql[c]}) AS "${c}"`).join(', ');
  const { rows } = await q.query<Record<ChannelId, boolean>>(
    `SELECT ${cols} FROM (SELECT $1::uuid AS subject_id) s`,
    [subjectId],
  );
  return allChannels.filter((c) => rows[0]![c]);
}

/** How a notice is going: per channel, how many deliveries are in each state. */
export async function noticeProgress(
  q: Queryable,
  key: string,
): Promise<
  | {
      noticeId: string;
      drill: boolean;
      people: number;
      byChannel: { channel: ChannelId; state: OutboxState; n: number }[];
    }
  | undefined
> {
  const { rows: found } = await q.query<{ id: string; drill: boolean; people: number }>(
    `SELECT nn.id, nn.drill, (SELECT count(*)::int FROM notification n WHERE n.notice_id = nn.id) AS people
       FROM notify_notice nn WHERE nn.key = $1`,
    [key],
  );
  const notice = found[0];
  if (!notice) return undefined;
  const { rows } = await q.query<{ channel: ChannelId; state: OutboxState; n: number }>(
    `SELECT o.channel, o.state, count(*)::int AS n
       FROM notification n JOIN notify_outbox o ON o.notification_id = n.id
      WHERE n.notice_id = $1 GROUP BY o.channel, o.state ORDER BY o.channel, o.state`,
    [notice.id],
  );
  return { noticeId: notice.id, drill: notice.drill, people: notice.people, byChannel: rows };
}

export interface OutboxOverview {
  /** Deliveries per channel and state. */
  byChannel: { channel: ChannelId; state: OutboxState; n: number }[];
  /** Per channel, when the longest-waiting delivery not yet sent or failed fell due. */
  oldestDue: { channel: ChannelId; dueAt: Date }[];
  /** Deliveries that failed or wait for a retry, per channel and failure code. */
  failures: { channel: ChannelId; state: OutboxState; code: string; n: number }[];
  /** The latest notices to many people, with their deliveries per channel and state. */
  notices: {
    key: string;
    template: string;
    drill: boolean;
    createdAt: Date;
    people: number;
    byChannel: { channel: ChannelId; state: OutboxState; n: number }[];
  }[];
}

/**
 * The outbox at a glance for the console: counts, due times and failure codes only (no
 * subject ids, no parameters), so a reader of it sees nothing about any one person.
 */
export async function outboxOverview(q: Queryable, noticeLimit: number): Promise<OutboxOverview> {
  const [byChannel, oldest, failures, notices] = await Promise.all([
    q.query<{ channel: ChannelId; state: OutboxState; n: number }>(
      `SELECT channel, state, count(*)::int AS n FROM notify_outbox GROUP BY channel, state ORDER BY channel, state`,
    ),
    q.query<{ channel: ChannelId; dueAt: Date }>(
      `SELECT channel, min(due_at) AS "dueAt" FROM notify_outbox
        WHERE state IN ('pending', 'sending', 'retrying') AND due_at <= now()
        GROUP BY channel ORDER BY channel`,
    ),
    q.query<{ channel: ChannelId; state: OutboxState; code: string; n: number }>(
      `SELECT channel, state, last_error AS code, count(*)::int AS n FROM notify_outbox
        WHERE state IN ('failed', 'retrying') AND last_error IS NOT NULL
        GROUP BY channel, state, last_error ORDER BY n DESC, channel, state, last_error`,
    ),
    q.query<{ id: string; key: string; template: string; drill: boolean; createdAt: Date }>(
      `SELECT id, key, template, drill, created_at AS "createdAt" FROM notify_notice
        ORDER BY created_at DESC, id LIMIT $1`,
      [noticeLimit],
    ),
  ]);
  const ids = notices.rows.map((n) => n.id);
  const [people, progress] = await Promise.all([
    q.query<{ id: string; n: number }>(
      `SELECT notice_id AS id, count(*)::int AS n FROM notification WHERE notice_id = ANY ($1::uuid[]) GROUP BY notice_id`,
      [ids],
    ),
    q.query<{ id: string; channel: ChannelId; state: OutboxState; n: number }>(
      `SELECT n.notice_id AS id, o.channel, o.state, count(*)::int AS n
         FROM notification n JOIN notify_outbox o ON o.notification_id = n.id
        WHERE n.notice_id = ANY ($1::uuid[]) GROUP BY n.notice_id, o.channel, o.state ORDER BY o.channel, o.state`,
      [ids],
    ),
  ]);
  const peopleOf = new Map(people.rows.map((r) => [r.id, r.n]));
  return {
    byChannel: byChannel.rows,
    oldestDue: oldest.rows,
    failures: failures.rows,
    notices: notices.rows.map((n) => ({
      key: n.key,
      template: n.template,
      drill: n.drill,
      createdAt: n.createdAt,
      people: peopleOf.get(n.id) ?? 0,
      byChannel: progress.rows
        .filter((p) => p.id === n.id)
        .map((p) => ({ channel: p.channel, state: p.state, n: p.n })),
    })),
  };
}

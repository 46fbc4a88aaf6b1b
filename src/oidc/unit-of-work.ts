/**
 * One provider request, one unit of work over `oidc_model`: reads answered once, writes
 * sent together. Each statement costs a round trip and a socket write (the dominant cost
 * of a grant, see README "Costs"); a refresh grant issued six, a code flow fourteen.
 *
 * Rules:
 * - Reads: a row found in this request is not read again; a token's find also returns, in
 *   the same statement, the grant and the session it belongs to, and a session's find the
 *   grants it holds, since the library reads those next. Nothing is kept once the request
 *   ends: every request reads the database afresh (revocation and logout act at once).
 * - Writes (upsert, consume) are held and sent in one statement after the provider has
 *   built its answer and before that answer leaves: a token is durable before the client
 *   has it, and a request that fails to write answers 500, not with tokens.
 * - Consume is a compare-and-set inside that statement: if another request consumed the
 *   same code or refresh token first, nothing of this request is written, the grant is
 *   revoked (as the library does on reuse) and the request answers invalid_grant. Two
 *   concurrent uses of one token therefore cannot both succeed.
 * - Destroy and revokeByGrantId are not held: what is held is sent first, then they run,
 *   in order, and the request's reads are forgotten.
 * - Outside a provider request (interaction routes, housekeeping) the adapter reads and
 *   writes at once, as before.
 */
import Provider, { errors, type AdapterPayload } from 'oidc-provider';
import type { Database } from '../kernel/db/database.ts';
import { clock } from '../kernel/clock.ts';

export interface Row {
  kind: string;
  id: string;
  uid: string | null;
  payload: AdapterPayload;
  consumed_at: Date | null;
}

export const payloadOf = (row: Pick<Row, 'payload' | 'consumed_at'>): AdapterPayload =>
  row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;

/**
 * A row is live until it expires. Written so that it cannot drive an index scan: as
 * `expires_at IS NULL OR expires_at > now()` the planner could (and on PostgreSQL 15 with a
 * few thousand rows did) answer a join by a bitmap scan of the expiry index over every live
 * row, a cost that grows with the table. Here it is only a filter on rows found by key.
 */
export const live = (m: string) => `coalesce(${m}.expires_at, 'infinity') > now()`;

const cols = (m: string) => `${m}.kind, ${m}.id, ${m}.uid, ${m}.payload, ${m}.consumed_at`;

/**
 * The row, plus the grant and session a token names, plus the grants a session holds.
 *
 * Every related row is fetched by its own key in a LATERAL subquery with LIMIT 1: the LIMIT
 * keeps PostgreSQL from flattening the subquery into a join it could plan as a hash join
 * over the whole table, so each costs one primary-key (or uid) index probe, whatever the
 * number of tokens (plans in README "Plans with a million tokens").
 */
export const findWithRelated = {
  name: 'oidc-find-with-related',
  text: `WITH hit AS (
           SELECT ${cols('m')} FROM oidc_model m
            WHERE m.kind = $1 AND m.id = $2 AND ${live('m')})
         SELECT * FROM hit
         UNION ALL
         SELECT g.* FROM hit h CROSS JOIN LATERAL (
           SELECT ${cols('m')} FROM oidc_model m
            WHERE m.kind = 'Grant' AND m.id = h.payload->>'grantId' AND ${live('m')} LIMIT 1) g
         UNION ALL
         SELECT s.* FROM hit h CROSS JOIN LATERAL (
           SELECT ${cols('m')} FROM oidc_model m
            WHERE m.uid = h.payload->>'sessionUid' AND m.kind = 'Session' AND ${live('m')} LIMIT 1) s
         UNION ALL
         SELECT g.* FROM hit h
          CROSS JOIN LATERAL jsonb_each(CASE WHEN h.kind = 'Session'
                AND jsonb_typeof(h.payload->'authorizations') = 'object'
                THEN h.payload->'authorizations' END) AS a(client, auth)
          CROSS JOIN LATERAL (
           SELECT ${cols('m')} FROM oidc_model m
            WHERE m.kind = 'Grant' AND m.id = a.auth->>'grantId' AND ${live('m')} LIMIT 1) g`,
};

const columns = 'kind, id, payload, grant_id, uid, user_code, expires_at';
const onConflict = `ON CONFLICT (kind, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
  uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`;
const row = (at: number) => {
  const [k, i, p, g, u, c, e] = [0, 1, 2, 3, 4, 5, 6].map((n) => `$${at + n}`);
  return `(${k}::text, ${i}::text, ${p}::jsonb, ${g}::text, ${u}::text, ${c}::text,
           CASE WHEN ${e}::int > 0 THEN now() + make_interval(secs => ${e}::int) END)`;
};

export const upsertOne = {
  name: 'oidc-upsert',
  text: `INSERT INTO oidc_model (${columns}) VALUES ${row(1)} ${onConflict}`,
};

const consumeOnce = {
  name: 'oidc-consume-once',
  text: 'UPDATE oidc_model SET consumed_at = now() WHERE kind = $1 AND id = $2 AND consumed_at IS NULL',
};

/**
 * Held writes in one statement of a fixed shape (so its plan is cached per connection):
 * the upserts, and with `consume` the compare-and-set before them, which they depend on.
 */
const shapes = new Map<string, { name: string; text: string }>();
function writeHeld(consume: boolean, upserts: number): { name: string; text: string } {
  const name = `oidc-write-${consume ? 1 : 0}-${upserts}`;
  let s = shapes.get(name);
  if (!s) {
    const first = consume ? 3 : 1;
    const values = Array.from({ length: upserts }, (_, n) => row(first + 7 * n)).join(', ');
    s = {
      name,
      text: consume
        ? `WITH c AS (UPDATE oidc_model SET consumed_at = now()
                       WHERE kind = $1 AND id = $2 AND consumed_at IS NULL RETURNING 1)
           INSERT INTO oidc_model (${columns})
           SELECT * FROM (VALUES ${values}) AS v WHERE EXISTS (SELECT 1 FROM c)
           ${onConflict} RETURNING 1`
        : `INSERT INTO oidc_model (${columns}) VALUES ${values} ${onConflict}`,
    };
    shapes.set(name, s);
  }
  return s;
}

interface Upsert {
  kind: string;
  id: string;
  /** Serialised once, when saved: sent as text, cast to jsonb by the statement. */
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_in: number;
}

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;
const clone = (p: AdapterPayload | undefined) => (p ? structuredClone(p) : undefined);

export class Unit {
  /** Rows this request has seen (undefined: known absent), by kind and id. */
  private readonly rows = new Map<string, AdapterPayload | undefined>();
  private readonly sessionsByUid = new Map<string, AdapterPayload | undefined>();
  private readonly upserts = new Map<string, Upsert>();
  /** At most one held consume: a request consumes one code or one refresh token. */
  private consumed: { key: string; kind: string; id: string; grantId?: string } | undefined;

  constructor(private readonly db: Database) {}

  seen(kind: string, id: string): { hit: boolean; payload?: AdapterPayload } {
    const k = keyOf(kind, id);
    return this.rows.has(k) ? { hit: true, payload: clone(this.rows.get(k)) } : { hit: false };
  }

  seenSession(uid: string): { hit: boolean; payload?: AdapterPayload } {
    return this.sessionsByUid.has(uid)
      ? { hit: true, payload: clone(this.sessionsByUid.get(uid)) }
      : { hit: false };
  }

  /** Remembers what a find returned, and what it looked for and did not find. */
  remember(kind: string, id: string, found: Row[]): void {
    for (const r of found) {
      const p = payloadOf(r);
      this.rows.set(keyOf(r.kind, r.id), p);
      if (r.kind === 'Session' && r.uid) this.sessionsByUid.set(r.uid, p);
    }
    const k = keyOf(kind, id);
    if (!this.rows.has(k)) {
      this.rows.set(k, undefined);
      return;
    }
    const hit = this.rows.get(k)!;
    const grantId = hit['grantId'];
    if (typeof grantId === 'string' && !this.rows.has(keyOf('Grant', grantId)))
      this.rows.set(keyOf('Grant', grantId), undefined);
    const sessionUid = hit['sessionUid'];
    if (typeof sessionUid === 'string' && !this.sessionsByUid.has(sessionUid))
      this.sessionsByUid.set(sessionUid, undefined);
  }

  rememberSession(uid: string, payload: AdapterPayload | undefined): void {
    this.sessionsByUid.set(uid, payload);
  }

  async upsert(kind: string, id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const k = keyOf(kind, id);
    // Consume and upsert of one row in one statement would not be ordered: send first.
    if (this.consumed?.key === k) await this.send();
    // Serialised now (the library may change the object after saving it); the text is
    // what is sent, and a copy parsed from it is what later reads of this request see.
    const json = JSON.stringify(payload);
    const copy = JSON.parse(json) as AdapterPayload;
    this.upserts.delete(k); // a later save of the same row replaces the earlier one
    this.upserts.set(k, {
      kind,
      id,
      payload: json,
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      expires_in: expiresIn ?? 0,
    });
    this.rows.set(k, copy);
    if (kind === 'Session' && payload.uid) this.sessionsByUid.set(payload.uid, copy);
  }

  async consume(kind: string, id: string): Promise<void> {
    const k = keyOf(kind, id);
    if (this.upserts.has(k) || this.consumed) await this.send();
    const p = this.rows.get(k);
    this.consumed = { key: k, kind, id, ...(p?.grantId ? { grantId: p.grantId } : {}) };
    if (p) this.rows.set(k, { ...p, consumed: clock.epochSeconds() });
  }

  /** Before a write that is not held: send what is, and forget what was read. */
  async beforeDirectWrite(): Promise<void> {
    await this.send();
    this.rows.clear();
    this.sessionsByUid.clear();
  }

  /** Sends the held writes; a lost consume race revokes the grant and throws invalid_grant. */
  async send(): Promise<void> {
    const upserts = [...this.upserts.values()];
    const consumed = this.consumed;
    this.upserts.clear();
    this.consumed = undefined;
    if (!consumed && upserts.length === 0) return;
    const values = upserts.flatMap((u) => [
      u.kind,
      u.id,
      u.payload,
      u.grant_id,
      u.uid,
      u.user_code,
      u.expires_in,
    ]);
    if (!consumed) {
      await this.db.query(upserts.length === 1 ? upsertOne : writeHeld(false, upserts.length), values);
      return;
    }
    const { rowCount } = await this.db.query(
      upserts.length === 0 ? consumeOnce : writeHeld(true, upserts.length),
      [consumed.kind, consumed.id, ...values],
    );
    if (!rowCount) {
      // Consumed by a concurrent request since this one read it: reuse, as the library
      // treats a consumed code or refresh token.
      if (consumed.grantId) await this.db.query(revokeGrant, [consumed.grantId]);
      throw new errors.InvalidGrant('grant already used');
    }
  }
}

export const revokeGrant = {
  name: 'oidc-revoke-grant',
  text: 'DELETE FROM oidc_model WHERE grant_id = $1',
};

const units = new WeakMap<object, Unit>();

/** The unit of the provider request this call runs in, if any. */
export function currentUnit(): Unit | undefined {
  const ctx = (Provider as unknown as { ctx?: object }).ctx;
  return ctx ? units.get(ctx) : undefined;
}

/**
 * Opens a unit for every provider request and sends its writes before the answer leaves.
 * Install it before any other provider middleware, so that every write is inside it.
 */
export function installUnitOfWork(provider: Provider, db: Database): void {
  provider.use(async (ctx, next) => {
    const unit = new Unit(db);
    units.set(ctx, unit);
    let failure: unknown;
    try {
      await next();
    } catch (err) {
      failure = err;
    } finally {
      units.delete(ctx); // later writes (none expected) go straight through
    }
    try {
      await unit.send();
    } catch (err) {
      if (failure || !(err instanceof errors.InvalidGrant)) throw failure ?? err;
      ctx.status = err.statusCode;
      ctx.body = { error: err.error, error_description: err.error_description };
      ctx.remove('location');
      return;
    }
    if (failure) throw failure;
  });
}

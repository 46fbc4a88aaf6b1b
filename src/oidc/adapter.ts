/**
 * oidc-provider's storage in PostgreSQL: one table, one row per model instance.
 *
 * Rules:
 * - A row past its expiry is treated as absent (and swept by `sweepExpired`).
 * - `consume` marks a row, never deletes it: a reused authorization code or rotated
 *   refresh token is then recognised as reuse, and the library revokes the whole grant.
 * - `revokeByGrantId` removes every token of a grant in one statement (revocation,
 *   logout, consent withdrawal).
 * - Inside a provider request, reads and writes go through that request's unit of work
 *   (unit-of-work.ts: one read per row and its relations, writes sent together, consume
 *   as a compare-and-set).
 * - Outside one, inside `withinTransaction(q, …)` (an interaction route recording one
 *   answer), they run on that transaction: the grant commits with the consents it rests on.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database, Queryable } from '../kernel/db/database.ts';
import { sweepActing } from './acting.ts';
import {
  currentUnit,
  findWithRelated,
  live,
  payloadOf,
  revokeGrant,
  upsertOne,
  type Row,
} from './unit-of-work.ts';

// Found by key (primary key, uid index); `live` only filters (see unit-of-work.ts).
const find = {
  name: 'oidc-find',
  text: `SELECT payload, consumed_at FROM oidc_model m WHERE kind = $1 AND id = $2 AND ${live('m')}`,
};

const findByUid = {
  name: 'oidc-find-by-uid',
  text: `SELECT payload, consumed_at FROM oidc_model m WHERE kind = $1 AND uid = $2 AND ${live('m')}`,
};
// Device flow is not enabled, so nothing calls this; user_code has no index.
const findByUserCode = {
  name: 'oidc-find-by-user-code',
  text: `SELECT payload, consumed_at FROM oidc_model m WHERE kind = $1 AND user_code = $2 AND ${live('m')}`,
};

const consume = {
  name: 'oidc-consume',
  text: 'UPDATE oidc_model SET consumed_at = now() WHERE kind = $1 AND id = $2',
};
const destroy = { name: 'oidc-destroy', text: 'DELETE FROM oidc_model WHERE kind = $1 AND id = $2' };

const ambient = new AsyncLocalStorage<Queryable>();

/** Runs `fn` with the adapter's reads and writes (outside provider requests) on `q`. */
export function withinTransaction<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  return ambient.run(q, fn);
}

export function pgAdapterFactory(
  db: Database,
  clients: (clientId: string) => Promise<Record<string, unknown> | undefined>,
) {
  const dbNow = (): Queryable => ambient.getStore() ?? db;
  return class PgAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const unit = currentUnit();
      if (unit) return unit.upsert(this.kind, id, payload, expiresIn);
      await dbNow().query(upsertOne, [
        this.kind,
        id,
        payload,
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresIn ?? 0,
      ]);
    }

    private async one(where: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await dbNow().query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        where === 'id' ? find : where === 'uid' ? findByUid : findByUserCode,
        [this.kind, value],
      );
      const row = rows[0];
      return row ? payloadOf(row) : undefined;
    }

    async find(id: string) {
      // Clients are not stored here: the `Client` model reads the relying-party registry
      // (`clients`), so a registration change needs no copy kept in step.
      if (this.kind === 'Client') return (await clients(id)) as AdapterPayload | undefined;
      const unit = currentUnit();
      if (!unit) return this.one('id', id);
      const seen = unit.seen(this.kind, id);
      if (seen.hit) return seen.payload;
      const { rows } = await db.query<Row>(findWithRelated, [this.kind, id]);
      unit.remember(this.kind, id, rows);
      return unit.seen(this.kind, id).payload;
    }
    async findByUid(uid: string) {
      const unit = currentUnit();
      if (!unit) return this.one('uid', uid);
      const seen = unit.seenSession(uid);
      if (seen.hit && this.kind === 'Session') return seen.payload;
      const found = await this.one('uid', uid);
      if (this.kind === 'Session') unit.rememberSession(uid, found);
      return found;
    }
    findByUserCode(userCode: string) {
      return this.one('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      const unit = currentUnit();
      if (unit) return unit.consume(this.kind, id);
      await dbNow().query(consume, [this.kind, id]);
    }

    async destroy(id: string): Promise<void> {
      await currentUnit()?.beforeDirectWrite();
      await dbNow().query(destroy, [this.kind, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await currentUnit()?.beforeDirectWrite();
      await dbNow().query(revokeGrant, [grantId]);
    }
  };
}

/** Removes rows past their expiry, and acting choices of grants gone; returns how many. */
export async function sweepExpired(db: Database): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM oidc_model WHERE expires_at < now()');
  return (rowCount ?? 0) + (await sweepActing(db));
}

/** The adapter's own statements that run inside provider requests (for the plan test). */
export const perRequestStatements = { find, findByUid, consume, destroy, revokeGrant };

/**
 * oidc-provider's storage in PostgreSQL: one table, one row per model instance.
 *
 * Rules:
 * - A row past its expiry is treated as absent (and swept by `sweepExpired`).
 * - `consume` marks a row, never deletes it: a reused authorization code or rotated
 *   refresh token is then recognised as reuse, and the library revokes the whole grant.
 * - `revokeByGrantId` removes every token of a grant in one statement (revocation,
 *   logout, consent withdrawal).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database } from '../db/database.ts';

const find = {
  name: 'oidc-find',
  text: `SELECT payload, consumed_at FROM oidc_model
          WHERE kind = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())`,
};

/**
 * Clients are not stored here: the `Client` model reads the relying-party registry
 * (`clients`), so a registration change needs no copy kept in step.
 */
const findByUid = {
  name: 'oidc-find-by-uid',
  text: `SELECT payload, consumed_at FROM oidc_model
          WHERE kind = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())`,
};
const findByUserCode = {
  name: 'oidc-find-by-user-code',
  text: `SELECT payload, consumed_at FROM oidc_model
          WHERE kind = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > now())`,
};

export function pgAdapterFactory(
  db: Database,
  clients: (clientId: string) => Promise<Record<string, unknown> | undefined>,
) {
  return class PgAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await db.query(
        {
          name: 'oidc-upsert',
          text: `INSERT INTO oidc_model (kind, id, payload, grant_id, uid, user_code, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int > 0 THEN now() + make_interval(secs => $7::int) END)
                 ON CONFLICT (kind, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
                   uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
        },
        [
          this.kind,
          id,
          payload,
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn ?? 0,
        ],
      );
    }

    private async one(where: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await db.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        where === 'id' ? find : where === 'uid' ? findByUid : findByUserCode,
        [this.kind, value],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
        : row.payload;
    }

    async find(id: string) {
      if (this.kind === 'Client') return (await clients(id)) as AdapterPayload | undefined;
      return this.one('id', id);
    }
    findByUid(uid: string) {
      return this.one('uid', uid);
    }
    findByUserCode(userCode: string) {
      return this.one('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db.query('UPDATE oidc_model SET consumed_at = now() WHERE kind = $1 AND id = $2', [
        this.kind,
        id,
      ]);
    }

    async destroy(id: string): Promise<void> {
      await db.query('DELETE FROM oidc_model WHERE kind = $1 AND id = $2', [this.kind, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query('DELETE FROM oidc_model WHERE grant_id = $1', [grantId]);
    }
  };
}

/** Removes rows past their expiry; returns how many. */
export async function sweepExpired(db: Database): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM oidc_model WHERE expires_at < now()');
  return rowCount ?? 0;
}

/**
 * Token signing keys: ES256 by default, RS256 for clients that cannot verify EC.
 *
 * Rules:
 * - Private keys are stored sealed under a keyring master key, never in clear.
 * - One active key per algorithm signs; `rotate` makes a new key active and retires the
 *   old one, which stays published in the JWKS for RETIRED_PUBLISHED_S (longer than any
 *   token it signed lives) so relying parties can still verify those tokens.
 * - A process picks up a rotation when it next builds its provider (start, or reload).
 */
import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Database } from '../kernel/db/database.ts';
import type { KeyManager } from '../modules/vault/index.ts';

export type SigningAlg = 'ES256' | 'RS256';
export const RETIRED_PUBLISHED_S = 24 * 3600;

export type PrivateJwk = JsonWebKey & { kid: string; alg: SigningAlg; use: 'sig' };

function generate(alg: SigningAlg): PrivateJwk {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256')
    .update(JSON.stringify([alg, jwk.x ?? jwk.n, jwk.y ?? jwk.e]))
    .digest('base64url')
    .slice(0, 16);
  return { ...jwk, kid, alg, use: 'sig' };
}

async function insert(db: Database, keys: KeyManager, jwk: PrivateJwk): Promise<void> {
  const sealed = await keys.wrap(Buffer.from(JSON.stringify(jwk)), `oidc-key:${jwk.kid}`);
  await db.query('INSERT INTO oidc_signing_key (kid, alg, sealed_jwk, master_key) VALUES ($1, $2, $3, $4)', [
    jwk.kid,
    jwk.alg,
    sealed.wrapped,
    sealed.keyId,
  ]);
}

/**
 * The keys to hand the provider: active keys first (they sign), then retired keys still
 * published. Creates the first key of each algorithm on an empty table.
 */
export async function loadSigningKeys(db: Database, keys: KeyManager): Promise<PrivateJwk[]> {
  const active = async () =>
    (
      await db.query<{ alg: SigningAlg }>(
        'SELECT DISTINCT alg FROM oidc_signing_key WHERE retired_at IS NULL',
      )
    ).rows.map((r) => r.alg);
  const have = await active();
  for (const alg of ['ES256', 'RS256'] as const) {
    if (have.includes(alg)) continue;
    // Two processes starting at once may both get here; the second insert is harmless
    // (two active keys of one algorithm: both published, the newest signs).
    await insert(db, keys, generate(alg));
  }
  const { rows } = await db.query<{ kid: string; sealed_jwk: Buffer; master_key: string }>(
    `SELECT kid, sealed_jwk, master_key FROM oidc_signing_key
      WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
      ORDER BY retired_at IS NOT NULL, activated_at DESC`,
    [RETIRED_PUBLISHED_S],
  );
  return Promise.all(
    rows.map(
      async (r) =>
        JSON.parse(
          (await keys.unwrap(r.master_key, r.sealed_jwk, `oidc-key:${r.kid}`)).toString(),
        ) as PrivateJwk,
    ),
  );
}

/** A new active key for `alg`; the previous one is retired but stays published. */
export async function rotateSigningKey(db: Database, keys: KeyManager, alg: SigningAlg): Promise<string> {
  const jwk = generate(alg);
  await db.tx(async (q) => {
    await q.query('UPDATE oidc_signing_key SET retired_at = now() WHERE alg = $1 AND retired_at IS NULL', [
      alg,
    ]);
    const sealed = await keys.wrap(Buffer.from(JSON.stringify(jwk)), `oidc-key:${jwk.kid}`);
    await q.query('INSERT INTO oidc_signing_key (kid, alg, sealed_jwk, master_key) VALUES ($1, $2, $3, $4)', [
      jwk.kid,
      alg,
      sealed.wrapped,
      sealed.keyId,
    ]);
  });
  return jwk.kid;
}

/** Changes whenever a key is added or retired: a running server rebuilds its provider then. */
export async function keysVersion(db: Database): Promise<string> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT count(*) || ':' || coalesce(max(activated_at)::text, '') || ':' || coalesce(max(retired_at)::text, '') AS v
       FROM oidc_signing_key`,
  );
  return rows[0]!.v;
}

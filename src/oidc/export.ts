/**
 * P8.1.export the provider's part of "Download my data": the sessions, grants and tokens of
 * the person, without any credential. A generic read of `oidc_model` would copy the whole
 * payload, which holds token identifiers (an opaque token's id is the token itself): here
 * only what tells the person something leaves (which service, which scopes, when).
 */
import type { Database } from '../kernel/db/database.ts';
import type { Row, TableExporter } from '../modules/export/index.ts';

export function oidcExporters(db: Database): Record<string, TableExporter> {
  return {
    oidc_model: {
      async *rows(subjectId) {
        const { rows } = await db.query<Row>(
          `SELECT kind, expires_at,
                  jsonb_strip_nulls(jsonb_build_object(
                    'clientId', payload -> 'clientId', 'scope', payload -> 'scope',
                    'iat', payload -> 'iat', 'exp', payload -> 'exp', 'loginTs', payload -> 'loginTs',
                    'services', (SELECT jsonb_agg(k) FROM jsonb_object_keys(
                      CASE WHEN jsonb_typeof(payload -> 'authorizations') = 'object'
                           THEN payload -> 'authorizations' ELSE '{}'::jsonb END) k))) AS payload
             FROM oidc_model
            WHERE payload ->> 'accountId' = $1 AND (expires_at IS NULL OR expires_at > now())
            ORDER BY kind, expires_at`,
          [subjectId],
        );
        yield rows;
      },
    },
  };
}

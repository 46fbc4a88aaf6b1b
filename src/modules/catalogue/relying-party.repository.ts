/** SQL for the relying-party registry. No rules here: see relying-party.service.ts. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { FieldRequest } from './relying-party.ts';

export interface RelyingPartyRow {
  client_id: string;
  service_id: string;
  service_slug: string;
  department_slug: string;
  service_name: Record<string, string>;
  department_name: Record<string, string>;
  sealed_secret: Buffer | null;
  master_key: string | null;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  frontchannel_logout_uri: string | null;
  backchannel_logout_uri: string | null;
  risc_push_endpoint: string | null;
  home_uri: string | null;
  policy_url: string;
  dpa_reference: string;
  fields: FieldRequest[];
  assurance_level: number;
  grant_types: string[];
  id_token_alg: 'ES256' | 'RS256';
  offline_delivery: boolean;
}

const select = `SELECT r.*, s.slug AS service_slug, d.slug AS department_slug, s.name AS service_name,
                       d.name AS department_name
                  FROM relying_party r JOIN service s ON s.id = r.service_id
                  JOIN department d ON d.id = s.department_id`;

export async function find(q: Queryable, clientId: string): Promise<RelyingPartyRow | undefined> {
  const { rows } = await q.query<RelyingPartyRow>(`${select} WHERE r.client_id = $1`, [clientId]);
  return rows[0];
}

export async function list(q: Queryable): Promise<RelyingPartyRow[]> {
  const { rows } = await q.query<RelyingPartyRow>(`${select} ORDER BY d.position, s.position`);
  return rows;
}

export async function serviceId(q: Queryable, slug: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM service WHERE slug = $1', [slug]);
  return rows[0]?.id;
}

export async function upsert(
  q: Queryable,
  r: Omit<RelyingPartyRow, 'service_slug' | 'department_slug' | 'service_name' | 'department_name'>,
): Promise<'created' | 'updated'> {
  const { rows } = await q.query<{ created: boolean }>(
    `INSERT INTO relying_party (client_id, service_id, sealed_secret, master_key, redirect_uris,
       post_logout_redirect_uris, frontchannel_logout_uri, backchannel_logout_uri, policy_url,
       dpa_reference, fields, assurance_level, grant_types, id_token_alg, offline_delivery, home_uri,
       risc_push_endpoint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (client_id) DO UPDATE SET service_id = EXCLUDED.service_id,
       sealed_secret = coalesce(EXCLUDED.sealed_secret, relying_party.sealed_secret),
       master_key = coalesce(EXCLUDED.master_key, relying_party.master_key),
       redirect_uris = EXCLUDED.redirect_uris, post_logout_redirect_uris = EXCLUDED.post_logout_redirect_uris,
       frontchannel_logout_uri = EXCLUDED.frontchannel_logout_uri,
       backchannel_logout_uri = EXCLUDED.backchannel_logout_uri, policy_url = EXCLUDED.policy_url,
       dpa_reference = EXCLUDED.dpa_reference, fields = EXCLUDED.fields,
       assurance_level = EXCLUDED.assurance_level, grant_types = EXCLUDED.grant_types,
       id_token_alg = EXCLUDED.id_token_alg, offline_delivery = EXCLUDED.offline_delivery,
       home_uri = EXCLUDED.home_uri, risc_push_endpoint = EXCLUDED.risc_push_endpoint,
       updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [
      r.client_id,
      r.service_id,
      r.sealed_secret,
      r.master_key,
      r.redirect_uris,
      r.post_logout_redirect_uris,
      r.frontchannel_logout_uri,
      r.backchannel_logout_uri,
      r.policy_url,
      r.dpa_reference,
      JSON.stringify(r.fields),
      r.assurance_level,
      r.grant_types,
      r.id_token_alg,
      r.offline_delivery,
      r.home_uri,
      r.risc_push_endpoint,
    ],
  );
  return rows[0]!.created ? 'created' : 'updated';
}

/** P1.2 records the relying party's privacy terms URL when it differs from the last one recorded. */
export async function recordPolicyUrl(
  q: Queryable,
  clientId: string,
  url: string,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO relying_party_policy (client_id, policy_url, since)
     SELECT $1, $2, $3
      WHERE $2 IS DISTINCT FROM (SELECT policy_url FROM relying_party_policy WHERE client_id = $1 ORDER BY since DESC LIMIT 1)`,
    [clientId, url, at],
  );
  return (rowCount ?? 0) > 0;
}

/** P1.2 when each relying party's privacy terms changed after it was registered (the first URL is no change). */
export async function policyChanges(q: Queryable): Promise<{ clientId: string; since: Date }[]> {
  const { rows } = await q.query<{ clientId: string; since: Date }>(
    `SELECT client_id AS "clientId", since FROM (
       SELECT client_id, since, row_number() OVER (PARTITION BY client_id ORDER BY since) AS n FROM relying_party_policy
     ) p WHERE n > 1 ORDER BY since`,
  );
  return rows;
}

/** SQL for the partner registry. */
import type { Queryable } from '../../kernel/db/database.ts';

export interface PartnerRow {
  id: string;
  slug: string;
  name: Record<string, string>;
  kind: 'supplier' | 'service-provider' | 'partner' | 'affiliate';
  agreementRef: string;
  region: string;
  allowedCategories: string[];
  allowedPurposes: string[];
}

const COLUMNS = `id, slug, name, kind, agreement_ref AS "agreementRef", region,
  allowed_categories AS "allowedCategories", allowed_purposes AS "allowedPurposes"`;

export async function insertPartner(q: Queryable, p: Omit<PartnerRow, 'id'>): Promise<PartnerRow> {
  const { rows } = await q.query<PartnerRow>(
    `INSERT INTO partner (slug, name, kind, agreement_ref, region, allowed_categories, allowed_purposes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [p.slug, p.name, p.kind, p.agreementRef, p.region, p.allowedCategories, p.allowedPurposes],
  );
  return rows[0]!;
}

export async function partnerBySlug(q: Queryable, slug: string): Promise<PartnerRow | undefined> {
  const { rows } = await q.query<PartnerRow>(`SELECT ${COLUMNS} FROM partner WHERE slug = $1`, [slug]);
  return rows[0];
}

export async function listPartners(q: Queryable): Promise<PartnerRow[]> {
  const { rows } = await q.query<PartnerRow>(`SELECT ${COLUMNS} FROM partner ORDER BY slug`);
  return rows;
}

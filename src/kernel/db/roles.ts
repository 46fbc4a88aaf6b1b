/**
 * The two database roles (P7.2: strict access limits; ADR 0011).
 *
 * - The **owner** role owns the schema: migrations run as it. It could switch the audit
 *   triggers off, so the server never serves requests as it.
 * - The **application** role is what the server connects as. It owns nothing (so it
 *   cannot ALTER a table or disable a trigger), is not a superuser, and holds:
 *     every other table: SELECT, INSERT, UPDATE, DELETE;
 *     APPEND_ONLY tables: SELECT and INSERT only (audit_entry: SELECT only, entries are
 *       appended through the SECURITY DEFINER function audit_append);
 *     READ_ONLY tables: SELECT only.
 *   `grantApplicationRole` (run by the owner after migrating) states that, idempotently;
 *   `applicationRoleProblems` checks it from the application's own connection, for
 *   /readyz and for the production start, which refuses a role with more.
 */
import type { Queryable } from './database.ts';

/** Rows are only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; so does the grant). */
const APPEND_ONLY = ['audit_checkpoint', 'audit_archive', 'policy_document', 'policy_rendering'] as const;
/** Written only through owner-defined functions or by migrations. */
const READ_ONLY = ['audit_entry', 'audit_lane', 'schema_migration'] as const;
/** Tables whose rows the application must never UPDATE or DELETE, checked from its side. */
const PROTECTED = ['audit_entry', 'audit_checkpoint', 'audit_archive', 'audit_lane'] as const;

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export async function grantApplicationRole(owner: Queryable, appRole: string): Promise<void> {
  const app = ident(appRole);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
  await owner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app}`);
  for (const t of APPEND_ONLY) await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${t} FROM ${app}`);
  for (const t of READ_ONLY) await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${t} FROM ${app}`);
  // "ALL TABLES" reached the partitions of every partitioned table: the application writes
  // through the parent, whose grant is checked instead; it keeps SELECT only, for pg_dump
  // (which reads each partition by name: the external server's logical backup).
  const { rows } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relispartition AND c.relkind = 'r'`,
  );
  for (const r of rows) {
    await owner.query(`REVOKE ALL ON ${ident(r.name)} FROM ${app}`);
    await owner.query(`GRANT SELECT ON ${ident(r.name)} TO ${app}`);
  }
}

/** What is wrong with the role this connection runs as; empty when it is least-privilege. */
export async function applicationRoleProblems(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{
    role: string;
    superuser: boolean;
    owns: boolean;
    writes: string[];
  }>(
    `SELECT current_user AS role,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('audit_entry')), 'USAGE') AS owns,
            ARRAY(SELECT t || ' ' || p FROM unnest($1::text[]) t, unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) p
                   WHERE to_regclass(t) IS NOT NULL AND has_table_privilege(t, p)) AS writes`,
    [[...PROTECTED]],
  );
  const r = rows[0]!;
  const problems: string[] = [];
  if (r.superuser) problems.push(`database role ${r.role} is a superuser`);
  else if (r.owns)
    problems.push(`database role ${r.role} owns the audit tables (it could disable their triggers)`);
  if (!r.superuser && r.writes.length) problems.push(`database role ${r.role} may ${r.writes.join(', ')}`);
  return problems;
}

/**
 * A normalised text description of the database schema (tables, columns, constraints,
 * indexes, triggers, functions), the same on PostgreSQL 15 and 18. The committed
 * `schema.snapshot.txt` is the schema as reviewed; a test proves that migrating a fresh
 * database produces exactly it, so an edited or missing migration cannot go unnoticed.
 * Regenerate with `npm run db:snapshot` after adding a migration. A partitioned table is
 * described once, by its parent: which months have partitions depends on the day it ran.
 */
import type { Queryable } from './database.ts';

export async function schemaSnapshot(q: Queryable): Promise<string> {
  const lines: string[] = [];
  const add = async (title: string, sql: string) => {
    const { rows } = await q.query<{ line: string }>(sql);
    lines.push(`## ${title}`, ...rows.map((r) => r.line.replace(/\s+/g, ' ').trim()).sort(), '');
  };
  await add(
    'columns',
    `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped`,
  );
  await add(
    'constraints',
    `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid AND NOT c.relispartition
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')`,
  );
  await add(
    'indexes',
    `SELECT pg_get_indexdef(i.indexrelid) AS line
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid AND NOT c.relispartition
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'`,
  );
  await add(
    'triggers',
    `SELECT pg_get_triggerdef(t.oid) AS line
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid AND NOT c.relispartition
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE NOT t.tgisinternal`,
  );
  await add(
    'functions',
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') returns '
            || pg_get_function_result(p.oid) || ' body-md5 ' || md5(p.prosrc) AS line
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'`,
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

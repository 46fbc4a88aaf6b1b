/**
 * The schema's foreign keys between tables, and an order of work they allow: the closure's
 * erasure and the retention purge both delete children before the rows they reference, so
 * no statement trips a reference another table still holds.
 */
import type { Queryable } from './database.ts';

/** Which tables each table references (foreign keys). */
export async function foreignKeys(q: Queryable): Promise<Map<string, string[]>> {
  const { rows } = await q.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND NOT c.relispartition AND NOT p.relispartition`,
  );
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.child, [...(map.get(r.child) ?? []), r.parent]);
  return map;
}

/**
 * The steps in an order the foreign keys allow: a table that references another is
 * worked on before it. `references` maps a table to the tables it references.
 */
export function childrenFirst<S extends { table: string }>(
  steps: readonly S[],
  references: ReadonlyMap<string, readonly string[]>,
): S[] {
  const byTable = new Map(steps.map((s) => [s.table, s]));
  const referencedBy = new Map<string, string[]>();
  for (const [from, tos] of references)
    for (const to of tos) if (to !== from) referencedBy.set(to, [...(referencedBy.get(to) ?? []), from]);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: S[] = [];
  const visit = (table: string) => {
    if (done.has(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const child of referencedBy.get(table) ?? []) visit(child);
    visiting.delete(table);
    done.add(table);
    const step = byTable.get(table);
    if (step) out.push(step);
  };
  for (const s of [...steps].sort((a, b) => a.table.localeCompare(b.table))) visit(s.table);
  return out;
}

/**
 * The tables, columns and foreign keys of the committed schema snapshot
 * (src/kernel/db/schema.snapshot.txt, which a test proves equal to a migrated database).
 */
import { readFileSync } from 'node:fs';

export interface SchemaColumn {
  type: string;
  /** `table(column)` a foreign key on this column alone points at. */
  references?: string;
}

export type Schema = Map<string, Map<string, SchemaColumn>>;

export function parseSchema(snapshot: string): Schema {
  const schema: Schema = new Map();
  let section = '';
  const fks: [string, string, string][] = [];
  for (const line of snapshot.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      continue;
    }
    if (!line.trim()) continue;
    if (section === 'columns') {
      const m = /^([a-z_0-9]+)\.([a-z_0-9]+) (.+?)(?: not null)?(?: default .*)?$/.exec(line);
      if (!m) throw new Error(`schema snapshot: unreadable column line: ${line}`);
      const [, table, column, type] = m as unknown as [string, string, string, string];
      if (!schema.has(table)) schema.set(table, new Map());
      schema.get(table)!.set(column, { type });
    } else if (section === 'constraints') {
      const m = /^([a-z_0-9]+) \S+ FOREIGN KEY \(([a-z_0-9]+)\) REFERENCES ([a-z_0-9]+\([a-z_0-9]+\))/.exec(
        line,
      );
      if (m) fks.push([m[1]!, m[2]!, m[3]!]);
    }
  }
  for (const [table, column, target] of fks) {
    const c = schema.get(table)?.get(column);
    if (c) c.references = target;
  }
  return schema;
}

export const SNAPSHOT_FILE = 'src/kernel/db/schema.snapshot.txt';

export const readSchema = (): Schema => parseSchema(readFileSync(SNAPSHOT_FILE, 'utf8'));

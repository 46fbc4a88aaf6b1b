/** Writes src/kernel/db/schema.snapshot.txt from a freshly migrated database (`npm run db:snapshot`). */
import { writeFileSync } from 'node:fs';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/kernel/db/database.ts';
import { startEmbedded } from '../src/kernel/db/embedded.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import { schemaSnapshot } from '../src/kernel/db/schema-snapshot.ts';

const tmp = mkdtempSync(join(tmpdir(), 'civitas-snapshot-'));
chmodSync(tmp, 0o711);
const server = await startEmbedded(join(tmp, 'data'), () => undefined);
try {
  const db = openDatabase(server.url('postgres'), 2);
  await migrate(db);
  writeFileSync(new URL('../src/kernel/db/schema.snapshot.txt', import.meta.url), await schemaSnapshot(db));
  await db.close();
  process.stdout.write('wrote src/kernel/db/schema.snapshot.txt\n');
} finally {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}

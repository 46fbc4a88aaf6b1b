/**
 * Making a backup: dump, encrypt, hash and write to every destination at once, then the
 * signed manifest beside each copy.
 *
 * Rules (P7.2.backup):
 * - One pass: the dump streams through the encryption into every destination; memory
 *   stays bounded whatever the database's size (each destination's buffer is 4 MiB).
 * - A destination that fails does not stop the others; the run still fails (the job records
 *   it), and a destination without its manifest holds no backup.
 * - The erasure ledger is brought up to date on every destination before the dump starts,
 *   so it covers every closure the backup might miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { EmbeddedCluster } from '../../kernel/db/index.ts';
import { clock } from '../../kernel/clock.ts';
import type { BackupKeys } from '../vault/index.ts';
import type { SigningKey } from '../audit/index.ts';
import { encryptStream } from './backup.crypto.ts';
import type { Destination } from './backup.destination.ts';
import type { SourceFacts } from './backup.facts.ts';
import { startLogicalDump } from './backup.logical.ts';
import { backupIdAt, dataName, manifestName, signManifest, type Manifest } from './backup.manifest.ts';
import { physicalBackup } from './backup.physical.ts';

export interface Source {
  kind: 'embedded' | 'external';
  /** The database URL (external: what pg_dump reads). */
  url: string;
  embedded?: EmbeddedCluster | undefined;
  region: string;
}

const counter = (onBytes: (n: number, chunk: Buffer) => void) =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length, chunk);
      done(null, chunk);
    },
  });

/** Writes one stream to several destinations; a failing one is dropped, the rest go on. */
function fanOut(dests: Destination[], file: string) {
  const failures = new Map<string, Error>();
  const outs = dests.map(() => new PassThrough({ highWaterMark: 4 << 20 }));
  const writes = dests.map((d, i) =>
    d.write(file, outs[i]!).catch((err: unknown) => {
      failures.set(d.name, err as Error);
      outs[i]!.destroy();
      outs[i]!.resume();
    }),
  );
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const waits: Promise<void>[] = [];
      outs.forEach((o, i) => {
        if (failures.has(dests[i]!.name) || o.destroyed) return;
        if (!o.write(chunk)) waits.push(new Promise((r) => (o.once('drain', r), o.once('close', r))));
      });
      Promise.all(waits).then(() => done(), done);
    },
    final(done) {
      for (const o of outs) if (!o.destroyed) o.end();
      done();
    },
  });
  return { sink, settled: () => Promise.all(writes).then(() => failures) };
}

export async function makeBackup(c: {
  source: Source;
  destinations: Destination[];
  keys: BackupKeys;
  signing: SigningKey;
  pgBinDir: string | undefined;
}): Promise<{ manifest: Manifest; failed: Map<string, Error> }> {
  const startedAt = clock.date();
  const id = backupIdAt(startedAt, randomBytes(4).toString('hex'));
  const key = c.keys.active();
  let plain: Readable;
  let factsOf: Promise<SourceFacts & { wal?: Manifest['wal'] }>;
  let done: Promise<unknown>;
  if (c.source.kind === 'embedded' && c.source.embedded) {
    const p = physicalBackup(c.source.embedded, id);
    plain = p.stream;
    factsOf = p.facts;
    done = p.facts;
  } else {
    const d = await startLogicalDump(c.source.url, c.pgBinDir);
    plain = d.stream;
    factsOf = Promise.resolve(d.facts);
    done = d.done;
  }
  const hash = createHash('sha256');
  let plainBytes = 0;
  let encrypted = 0;
  const fan = fanOut(c.destinations, dataName(id));
  // A base backup's files compress well (pages, WAL); level 1 keeps up with the disk.
  const physical = c.source.kind === 'embedded' && c.source.embedded !== undefined;
  await Promise.all([
    pipeline(
      plain,
      counter((n) => (plainBytes += n)),
      physical ? createGzip({ level: 1 }) : new PassThrough(),
      encryptStream(key, id),
      counter((n, chunk) => {
        encrypted += n;
        hash.update(chunk);
      }),
      fan.sink,
    ),
    done,
  ]);
  const failed = await fan.settled();
  const facts = await factsOf;
  const manifest = signManifest(
    {
      version: 1,
      id,
      format: physical ? 'embedded-physical' : 'pg_dump-custom',
      compression: physical ? 'gzip' : 'none',
      startedAt: startedAt.toISOString(),
      finishedAt: clock.date().toISOString(),
      database: {
        kind: c.source.kind,
        name: facts.database,
        serverVersion: facts.serverVersion,
        region: c.source.region,
      },
      recoveryPoint: facts.recoveryPoint,
      ...(facts.wal ? { wal: facts.wal } : {}),
      migrations: facts.migrations,
      rows: facts.rows,
      sizes: { plain: plainBytes, encrypted },
      sha256: hash.digest('hex'),
      keyId: key.id,
      signedBy: c.signing.id,
    },
    c.signing,
  );
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  for (const d of c.destinations) {
    if (failed.has(d.name)) continue;
    await d.write(manifestName(id), Readable.from([Buffer.from(text)])).catch((err: unknown) => {
      failed.set(d.name, err as Error);
    });
  }
  return { manifest, failed };
}

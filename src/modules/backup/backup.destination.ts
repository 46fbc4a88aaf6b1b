/**
 * Where backups go. Every destination holds the same files: per backup a signed manifest
 * and the encrypted file, and the erasure ledger (backup.ledger.ts).
 *
 * Rules (P7.2.backup, P6.1):
 * - A file appears under its name only once complete (written as `.partial`, then
 *   renamed): a listing never shows half a backup, and a manifest is written last.
 * - A destination says what it is without credentials (`describe`), and its declared region.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Destination {
  /** `directory` or `sftp`: what `civitas restore --from` takes. */
  readonly name: string;
  /** Where, without credentials (a path, user@host:port/path). */
  readonly describe: string;
  readonly region: string;
  write(file: string, from: Readable): Promise<void>;
  read(file: string): Promise<Readable>;
  /** The file's text, or undefined when it is not there. */
  readText(file: string): Promise<string | undefined>;
  list(): Promise<string[]>;
  remove(file: string): Promise<void>;
  append(file: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export function directoryDestination(dir: string, region: string): Destination {
  const root = resolve(dir);
  const ready = mkdir(root, { recursive: true, mode: 0o700 });
  const at = (file: string) => {
    if (file.includes('/') || file.startsWith('.')) throw new Error(`bad backup file name ${file}`);
    return join(root, file);
  };
  return {
    name: 'directory',
    describe: root,
    region,
    async write(file, from) {
      await ready;
      const partial = `${at(file)}.partial`;
      await pipeline(from, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, at(file));
    },
    async read(file) {
      await ready;
      await stat(at(file));
      return createReadStream(at(file));
    },
    async readText(file) {
      await ready;
      return readFile(at(file), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
    },
    async list() {
      await ready;
      return (await readdir(root)).filter((f) => !f.endsWith('.partial'));
    },
    async remove(file) {
      await rm(at(file), { force: true });
    },
    async append(file, text) {
      await ready;
      await appendFile(at(file), text, { mode: 0o600 });
    },
    async close() {},
  };
}

/**
 * Creates a file that appears whole or not at all: written aside, then hard-linked into
 * place (link(2) fails with EEXIST if the name is taken, atomically). Several processes
 * starting on one data directory at once (a test's two nodes, `npm start` twice) each make
 * a development key; with a plain exclusive create, the loser could read the winner's file
 * while it was still empty ("Unexpected end of JSON input"). Here nobody ever sees a partial
 * file, and exactly one process's content wins.
 *
 * Throws EEXIST like `flag: 'wx'` when the path is taken; `keepExisting` returns false instead
 * (the caller then reads the file that won).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function createWholeFile(path: string, text: string, opts: { keepExisting?: boolean } = {}): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, path);
    return true;
  } catch (err) {
    if (opts.keepExisting && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(aside);
  }
}

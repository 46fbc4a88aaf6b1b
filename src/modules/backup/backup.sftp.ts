/**
 * The off-site destination: a directory on another server over SFTP (ssh2-sftp-client,
 * ADR 0042), signed in with a key, the server recognised by its host key fingerprint.
 *
 * Rules (P7.2.backup):
 * - A server whose host key does not match BACKUP_SFTP_HOST_KEY is refused before any byte
 *   is sent (no trust on first use).
 * - One connection per destination object, opened on first use, closed by `close`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import SftpClient from 'ssh2-sftp-client';
import type { Destination } from './backup.destination.ts';

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  directory: string;
  /** The key, or the file it is read from when the first connection opens. */
  privateKey: Buffer | string;
  hostKey: string;
  region: string;
}

export function parseSftpUrl(url: string, keyFile: string, hostKey: string, region: string): SftpTarget {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 22,
    username: decodeURIComponent(u.username),
    directory: decodeURIComponent(u.pathname) || '/',
    privateKey: keyFile,
    hostKey,
    region,
  };
}

const fingerprint = (key: Buffer) =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

export function sftpDestination(t: SftpTarget): Destination {
  let client: Promise<SftpClient> | undefined;
  const dir = t.directory.replace(/\/+$/, '') || '/';
  const at = (file: string) => {
    if (file.includes('/') || file.startsWith('.')) throw new Error(`bad backup file name ${file}`);
    return `${dir}/${file}`;
  };
  const connect = () =>
    (client ??= (async () => {
      const c = new SftpClient('civitas-backup');
      const expected = t.hostKey.replace(/=+$/, '');
      await c.connect({
        host: t.host,
        port: t.port,
        username: t.username,
        privateKey: typeof t.privateKey === 'string' ? readFileSync(t.privateKey) : t.privateKey,
        readyTimeout: 15_000,
        hostVerifier: (key: Buffer) => fingerprint(key) === expected,
      });
      if (!(await c.exists(dir))) await c.mkdir(dir, true);
      return c;
    })().catch((err: unknown) => {
      client = undefined;
      throw err;
    }));
  return {
    name: 'sftp',
    describe: `${t.username}@${t.host}:${t.port}${dir}`,
    region: t.region,
    async write(file, from) {
      const c = await connect();
      const partial = `${at(file)}.partial`;
      await c.put(from, partial);
      if (await c.exists(at(file))) await c.delete(at(file));
      await c.rename(partial, at(file));
    },
    async read(file) {
      const c = await connect();
      if (!(await c.exists(at(file)))) throw new Error(`${file} is not on ${this.describe}`);
      const out = new PassThrough();
      // The client's own read stream, piped so the caller sees its errors.
      const s = c.createReadStream(at(file)) as unknown as Readable;
      s.on('error', (err) => out.destroy(err));
      s.pipe(out);
      return out;
    },
    async readText(file) {
      const c = await connect();
      if (!(await c.exists(at(file)))) return undefined;
      return ((await c.get(at(file))) as Buffer).toString('utf8');
    },
    async list() {
      const c = await connect();
      return (await c.list(dir)).map((e) => e.name).filter((n) => !n.endsWith('.partial'));
    },
    async remove(file) {
      const c = await connect();
      if (await c.exists(at(file))) await c.delete(at(file));
    },
    async append(file, text) {
      const c = await connect();
      if (await c.exists(at(file))) await c.append(Buffer.from(text), at(file));
      else await c.put(Buffer.from(text), at(file));
    },
    async close() {
      if (!client) return;
      const c = await client.catch(() => undefined);
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed
 * (mailparser): the relay a test sends to. STARTTLS (with a certificate made for the run,
 * its CA handed to the client) and authentication are switched per sink; recipients can be
 * made to bounce (550) or to be deferred (451).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  envelope: { from: string; to: string[] };
  /** Whether the session was under TLS when the message came. */
  secure: boolean;
  user: string | undefined;
  mail: ParsedMail;
  /** The message as it came, headers and MIME parts. */
  raw: string;
}

export interface SmtpSink {
  port: number;
  /** `smtp://user:pass@127.0.0.1:port` (with credentials when the sink asks for them). */
  url: string;
  /** The CA that signed the sink's certificate (give it to the client as `tls.ca`). */
  ca: string | undefined;
  received: Received[];
  /** Resolves once `n` messages in all have arrived (bounded). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export interface SinkOptions {
  starttls?: boolean;
  auth?: { user: string; pass: string };
  /** Recipient addresses answered 550 (a hard bounce). */
  bounce?: string[];
  /** Recipient addresses answered 451 (try again later). */
  defer?: string[];
}

/** A CA and a server certificate for `localhost`, made with the machine's openssl. */
export function certificate(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-smtp-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Civitas test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    );
    run(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
    );
    execFileSync('sh', ['-c', 'printf "subjectAltName=DNS:localhost,IP:127.0.0.1" > ext.cnf'], { cwd: dir });
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
      '-out',
      'server.pem',
    );
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSmtpSink(o: SinkOptions = {}): Promise<SmtpSink> {
  const tls = o.starttls ? certificate() : undefined;
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(o.auth ? [] : ['AUTH'])],
    authOptional: !o.auth,
    // Authentication only after STARTTLS when the sink offers TLS, as a real relay does.
    allowInsecureAuth: !tls,
    logger: false,
    onAuth(auth, _session, cb) {
      if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass)
        return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (o.bounce?.includes(address.address))
        return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      if (o.defer?.includes(address.address))
        return cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      return cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      })
        .then(async (raw) => ({ raw: raw.toString('utf8'), mail: await simpleParser(raw) }))
        .then(({ raw, mail }) => {
          received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
            mail,
            raw,
          });
          for (const w of waiters.splice(0)) w();
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const creds = o.auth ? `${encodeURIComponent(o.auth.user)}:${encodeURIComponent(o.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${creds}127.0.0.1:${port}`,
    ca: tls?.ca,
    received,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the sink received ${received.length} of ${n} messages`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => (clearTimeout(t), r()));
        });
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

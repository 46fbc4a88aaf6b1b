/**
 * Apache httpd with mod_auth_openidc (Debian's apache2 and libapache2-mod-auth-openidc) as
 * an independent relying party, for test/interop only: `npm test` never needs it.
 *
 * Apache runs in the foreground (never the system service), from a configuration generated
 * in a temp directory, on free loopback ports of the test range, and is stopped (SIGTERM to
 * the process this started) when the suite ends. Each virtual host uses the
 * mod_auth_openidc example of docs/sso-integration.md, read from the page, with the
 * example's names replaced by the test platform's; only test hooks are added to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APACHE = process.env.APACHE_BIN ?? '/usr/sbin/apache2';
const MODULES = process.env.APACHE_MODULES ?? '/usr/lib/apache2/modules';
/** The port range this suite may use (loopback only). */
const PORTS = { from: 41100, to: 41199 };

export const apacheAvailable = () => existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_openidc.so'));

/** The mod_auth_openidc block of docs/sso-integration.md, exactly as documented. */
export function documentedConfig(): string {
  const doc = readFileSync(new URL('../../docs/sso-integration.md', import.meta.url), 'utf8');
  const at = doc.indexOf('<!-- mod_auth_openidc example:');
  const block = /```apache\n([\s\S]*?)```/.exec(doc.slice(at))?.[1];
  if (at < 0 || !block) throw new Error('docs/sso-integration.md has no mod_auth_openidc example block');
  return block;
}

async function freePort(taken: Set<number>): Promise<number> {
  for (let port = PORTS.from; port <= PORTS.to; port++) {
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${PORTS.from}-${PORTS.to}`);
}

export interface RelyingPartyHost {
  clientId: string;
  alg: 'ES256' | 'RS256';
  /** Set by startApache once the port is chosen. */
  base?: string;
  secret?: string;
}

export interface Apache {
  hosts: Required<RelyingPartyHost>[];
  errorLog(): string;
  stop(): Promise<void>;
}

/** Chooses a port for each host (its `base`), before the clients are registered. */
export async function choosePorts(hosts: RelyingPartyHost[]): Promise<void> {
  const taken = new Set<number>();
  for (const h of hosts) {
    const port = await freePort(taken);
    taken.add(port);
    h.base = `http://127.0.0.1:${port}`;
  }
}

function virtualHost(h: Required<RelyingPartyHost>, issuer: string): string {
  const documented = documentedConfig()
    .replaceAll('https://civitas.example.gov/oidc', issuer)
    .replaceAll('https://tax.example.gov', h.base)
    .replaceAll('CLIENT_SECRET_FROM_REGISTRATION', h.secret)
    .replaceAll('A_LONG_RANDOM_PASSPHRASE', randomBytes(24).toString('hex'))
    .replace(/^OIDCClientID .*$/m, `OIDCClientID ${h.clientId}`)
    .replace(/^OIDCIDTokenSignedResponseAlg .*$/m, `OIDCIDTokenSignedResponseAlg ${h.alg}`);
  const port = new URL(h.base).port;
  return `
<VirtualHost 127.0.0.1:${port}>
  ServerName 127.0.0.1:${port}
${documented}
  # Test hooks only (not part of the documented configuration):
  # the session as JSON, a cookie name per host (hosts share 127.0.0.1), and two paths
  # that ask for a fresh sign-in.
  OIDCInfoHook iat access_token access_token_expires id_token userinfo refresh_token remote_user
  OIDCCookie oidc_${h.clientId.replace(/[^a-z0-9]/g, '_')}
  <Location /protected/fresh>
    OIDCPathAuthRequestParams prompt=login
  </Location>
  <Location /protected/recent>
    OIDCPathAuthRequestParams max_age=1
  </Location>
</VirtualHost>
`;
}

export async function startApache(issuer: string, hosts: Required<RelyingPartyHost>[]): Promise<Apache> {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-apache-'));
  chmodSync(dir, 0o755);
  const docs = join(dir, 'htdocs');
  mkdirSync(join(docs, 'protected', 'fresh'), { recursive: true });
  mkdirSync(join(docs, 'protected', 'recent'), { recursive: true });
  for (const p of ['', 'protected/', 'protected/fresh/', 'protected/recent/']) {
    writeFileSync(
      join(docs, p, 'index.html'),
      `<!doctype html><title>${p || 'home'}</title><h1 id="page">${p || 'home'}</h1>\n`,
    );
  }
  const root = process.getuid?.() === 0;
  const conf = join(dir, 'httpd.conf');
  writeFileSync(
    conf,
    `ServerRoot "${dir}"
DefaultRuntimeDir "${dir}"
PidFile "${dir}/httpd.pid"
ServerName 127.0.0.1
${hosts.map((h) => `Listen 127.0.0.1:${new URL(h.base).port}`).join('\n')}
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
${root ? 'User www-data\nGroup www-data' : ''}
StartServers 1
ServerLimit 1
ThreadsPerChild 25
MaxRequestWorkers 25
ErrorLog "${dir}/error.log"
LogLevel warn auth_openidc:info
TypesConfig /dev/null
AddType text/html .html
DirectoryIndex index.html
DocumentRoot "${docs}"
<Directory "${docs}">
  Require all granted
</Directory>
${hosts.map((h) => virtualHost(h, issuer)).join('\n')}
`,
  );
  const child: ChildProcess = spawn(APACHE, ['-f', conf, '-DFOREGROUND'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const errorLog = () =>
    output + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');

  // Up when every host answers; at most 15 s.
  const deadline = Date.now() + 15_000;
  for (const h of hosts) {
    for (;;) {
      if (child.exitCode !== null) {
        const log = errorLog();
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`apache exited: ${log}`);
      }
      const ok = await fetch(`${h.base}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) {
        const log = errorLog();
        child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`apache did not start: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    hosts,
    errorLog,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

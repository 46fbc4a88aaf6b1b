/**
 * The `civitas` command. Each subcommand opens only what it needs and exits non-zero on
 * failure with a message that says what to do.
 *
 *   civitas serve                      start the platform (npm start)
 *   civitas migrate                    apply pending migrations
 *   civitas audit verify [--json] [--checkpoint FILE] [--expect-at-least N]
 *                                      walk the audit chain; exit 1 naming the first bad entry
 *                                      (FILE: an exported checkpoint the log must still hold;
 *                                      N: the fewest entries the log may have)
 *   civitas audit checkpoint           write a signed checkpoint now (and export it)
 *   civitas retention run [--dry-run] [--json]
 *                                      delete what is past its declared time (a legal hold keeps
 *                                      what it covers); --dry-run counts what would go
 *   civitas jobs [--json]              recurring jobs (last run, outcome, next run), failed and
 *                                      retrying one-off jobs
 *   civitas staff create --email E --name N [--role R]   password from CIVITAS_NEW_PASSWORD or stdin
 *   civitas keys audit --out FILE      create a production audit signing key
 *   civitas keys init --out FILE       create a production keyring (master key, blind-index key)
 *   civitas keys rotate [--suite default|national]
 *                                      add a master key, rewrap every data key under it and
 *                                      reseal every value with the suite (ADR 0043), online
 *   civitas keys backup                add a backup key to a keyring made before backups existed
 *   civitas backup [list|verify]       back up now / list backups / run the restore drill (cli.backup.ts)
 *   civitas restore --from D [--backup ID] --into DIR|URL   restore, re-applying later erasures
 *   civitas restore --reapply-ledger [--since TIME]   after a pgBackRest restore: re-apply the
 *                                      ledger's erasures to the configured database
 *   civitas oidc rotate-key [--alg ES256|RS256]   new token signing key; the old one stays published
 *   civitas help [COMMAND], civitas --help, civitas COMMAND --help   usage (COMMANDS below)
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './kernel/config/index.ts';
import { openStorage, type Storage } from './kernel/db/index.ts';
import {
  checkpointExportPath,
  createAuditService,
  loadSigningKey,
  readExportedCheckpoint,
  verifyAuditChain,
  verifyReport,
  writeSigningKey,
  type ExportedCheckpoint,
} from './modules/audit/index.ts';
import { createConsentService } from './modules/consent/index.ts';
import { formatJobsStatus, jobsStatus } from './modules/jobs/index.ts';
import { createStaffService, type StaffRole } from './modules/staff/index.ts';
import { rotateSigningKey } from './oidc/index.ts';
import {
  addBackupKey,
  addMasterKey,
  createKeyringFile,
  createVaultService,
  keyringPath,
  loadLocalKeyManager,
  suites,
  type Suite,
} from './modules/vault/index.ts';
import { AppError } from './kernel/errors.ts';
import { backupCommand, restoreCommand } from './cli.backup.ts';
import { serve } from './main.ts';
import { createRetention } from './wiring.ts';
import { formatRetentionReport } from './modules/retention/index.ts';

const say = (msg: string) => process.stdout.write(`${msg}\n`);
const fail = (msg: string, code = 1): never => {
  process.stderr.write(`civitas: ${msg}\n`);
  process.exit(code);
};

async function withStorage<T>(config: Config, fn: (s: Storage) => Promise<T>, migrate = true): Promise<T> {
  const storage = await openStorage(config, say, { role: 'tool', migrate });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

async function readPassword(): Promise<string> {
  if (process.env.CIVITAS_NEW_PASSWORD) return process.env.CIVITAS_NEW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters, not echoed): ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return line;
}

/** Staff roles as `--role` takes them, with what each may do (docs/operations.md "Staff roles"). */
const STAFF_ROLES: readonly [StaffRole, string][] = [
  ['administrator', 'registers department services (console); reads no personal data'],
  ['support', 'looks up accounts (console) and reads personal data for customer support only'],
  ['dpo', 'data protection officer: as support, and reads for legal obligations, disputes and safety'],
  ['auditor', 'reserved for audit work; reads no personal data'],
  ['service_hall', 'records in-person document checks (level L4), nothing else'],
  [
    'security_officer',
    'runs security incidents: record, scope, report, notice (P7.2i); reads no personal data',
  ],
];

/** Every command: [words, arguments, what it does]. `civitas help` prints this table. */
const COMMANDS: readonly [string, string, string][] = [
  ['serve', '', 'start the platform (npm start); the default command'],
  ['migrate', '', 'apply pending database migrations'],
  ['audit verify', '[--json]', 'walk the audit chain; exit 1 naming the first bad entry'],
  ['audit checkpoint', '', 'write a signed audit checkpoint now'],
  [
    'jobs',
    '[--json]',
    'recurring jobs with last run, outcome and next run; failed and retrying jobs (docs/operations.md "Jobs")',
  ],
  [
    'staff create',
    `--email E --name N [--role ${STAFF_ROLES.map(([r]) => r).join('|')}]`,
    'create a console account (password from CIVITAS_NEW_PASSWORD or stdin; default role administrator)',
  ],
  [
    'retention run',
    '[--dry-run] [--json]',
    'delete what is past its declared time, except what a legal hold keeps (--dry-run: count only)',
  ],
  ['keys audit', '--out FILE', 'create a production audit signing key'],
  ['keys init', '--out FILE', 'create a production keyring (master key, blind-index key, backup key)'],
  [
    'keys rotate',
    '[--suite default|national]',
    'add a master key, rewrap every data key under it and reseal every value with the suite, online',
  ],
  ['keys backup', '', 'add a backup key to a keyring made before backups existed (keys init makes one)'],
  ['backup', '', 'back up now to every destination and prune old backups (docs/operations.md "Backups")'],
  ['backup list', '[--from directory|sftp]', 'the backups each destination holds, newest last'],
  [
    'backup verify',
    '[--json]',
    'restore the newest backup into a scratch server and check it; exit 1 on failure',
  ],
  [
    'restore',
    '--from directory|sftp [--backup ID] [--until TIME] --into DIR|URL',
    'restore into an empty data directory or database (--until: embedded, to a point in time); re-applies the erasures made after the backup',
  ],
  [
    'restore --reapply-ledger',
    '[--since TIME]',
    'after a restore made outside Civitas (pgBackRest): re-apply the erasure ledger to the configured database (from a day before TIME, the backup’s start, on; every entry without it)',
  ],
  ['oidc rotate-key', '[--alg ES256|RS256]', 'new token signing key; the old one stays published'],
  ['help', '[COMMAND]', 'this help, or one command’s'],
];

const isHelp = (a: string | undefined) => a === '--help' || a === '-h' || a === 'help';

function help(words: string[]): string {
  const wanted = words.join(' ');
  const matching = COMMANDS.filter(
    ([name]) => wanted === '' || name === wanted || name.startsWith(`${wanted} `),
  );
  const lines = (matching.length ? matching : COMMANDS).map(
    ([name, args, what]) => `  civitas ${name}${args ? ` ${args}` : ''}\n      ${what}`,
  );
  const roles = matching.some(([name]) => name === 'staff create')
    ? ['', 'Staff roles (--role):', ...STAFF_ROLES.map(([r, what]) => `  ${r.padEnd(14)} ${what}`)]
    : [];
  return [
    'Usage: civitas <command> [options]   (npx civitas … in a checkout)',
    '',
    ...lines,
    ...roles,
    '',
    'Settings come from the environment (docs/config.md); operations: docs/operations.md.',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  // Help needs no configuration or database: `civitas --help`, `civitas help [command]`,
  // `civitas <command> [sub] --help`.
  if (isHelp(argv[0])) {
    say(help(argv.slice(1).filter((a) => !a.startsWith('-'))));
    return;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    say(help(argv.filter((a) => !a.startsWith('-')).slice(0, 2)));
    return;
  }
  const [command = 'serve', sub, ...rest] = argv;
  if (command === 'serve') return serve();
  const config = loadConfig();

  if (command === 'migrate') {
    await withStorage(config, async () => say('migrations are current'));
    return;
  }

  if (command === 'audit' && (sub === 'verify' || sub === 'checkpoint')) {
    const { values } = parseArgs({
      args: rest,
      options: {
        json: { type: 'boolean' },
        checkpoint: { type: 'string' },
        'expect-at-least': { type: 'string' },
      },
    });
    const key = loadSigningKey(config);
    const expectAtLeast =
      values['expect-at-least'] === undefined ? undefined : Number(values['expect-at-least']);
    if (expectAtLeast !== undefined && !(Number.isSafeInteger(expectAtLeast) && expectAtLeast >= 0))
      fail('--expect-at-least needs a whole number of entries', 2);
    let exported: ExportedCheckpoint | undefined;
    if (values.checkpoint) {
      exported = readExportedCheckpoint(values.checkpoint);
      if (!exported) fail(`--checkpoint: ${values.checkpoint} does not exist`, 2);
    }
    await withStorage(config, async ({ db }) => {
      if (sub === 'checkpoint') {
        const exportFile = checkpointExportPath(config);
        const id = await createAuditService({ db, key, exportFile }).checkpoint();
        say(
          id
            ? `checkpoint ${id} written and exported to ${exportFile}`
            : 'no new entries since the last checkpoint',
        );
        return;
      }
      const started = performance.now();
      const r = await verifyAuditChain(db, key, { expectAtLeast, checkpoint: exported });
      const seconds = (performance.now() - started) / 1000;
      const report = verifyReport(r, {
        seconds,
        json: values.json,
        evidence: exported !== undefined || expectAtLeast !== undefined,
      });
      process.stdout.write(report.stdout);
      process.stderr.write(report.stderr);
      if (report.exitCode !== 0) process.exitCode = report.exitCode;
    });
    return;
  }

  if (command === 'retention' && sub === 'run') {
    const { values } = parseArgs({
      args: rest,
      options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const key = loadSigningKey(config);
    await withStorage(config, async ({ db }) => {
      const audit = createAuditService({ db, key, exportFile: checkpointExportPath(config) });
      const r = await createRetention(db, audit, config, undefined, key).run({
        dryRun: values['dry-run'] ?? false,
      });
      say(values.json ? JSON.stringify(r, null, 2) : formatRetentionReport(r));
    });
    return;
  }

  if (command === 'jobs') {
    const { values } = parseArgs({
      args: [sub, ...rest].filter((a) => a !== undefined),
      options: { json: { type: 'boolean' } },
    });
    await withStorage(config, async ({ db }) => {
      const status = await jobsStatus(db);
      const now = (await db.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
      say(values.json ? JSON.stringify({ now, ...status }) : formatJobsStatus(status, now));
    });
    return;
  }

  if (command === 'staff' && sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', default: 'administrator' },
      },
    });
    if (!values.email || !values.name) fail(`usage:\n${help(['staff', 'create'])}`, 2);
    const role = values.role as StaffRole;
    if (!STAFF_ROLES.some(([r]) => r === role))
      fail(`unknown role ${role}; one of ${STAFF_ROLES.map(([r]) => r).join(', ')}`, 2);
    const password = await readPassword();
    await withStorage(config, async ({ db }) => {
      const audit = createAuditService({ db, key: loadSigningKey(config) });
      await createStaffService({ db, audit, keys: loadLocalKeyManager(config) }).create(
        { email: values.email!, displayName: values.name!, role, password },
        { type: 'system', id: 'cli' },
      );
      say(`staff account created for ${values.email} (${role})`);
    });
    return;
  }

  if (command === 'staff' && sub === 'reset-factor') {
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
    if (!values.email) fail('usage: civitas staff reset-factor --email E', 2);
    // The storage closes before any exit: an embedded server must not outlive the command.
    const found = await withStorage(config, async ({ db }) => {
      const audit = createAuditService({ db, key: loadSigningKey(config) });
      const staff = createStaffService({ db, audit, keys: loadLocalKeyManager(config) });
      return staff.resetSecondFactor(values.email!, { type: 'system', id: 'cli' });
    });
    if (!found) fail(`no staff account for ${values.email}`, 1);
    say(`second factor removed for ${values.email}: the next sign-in sets up a new authenticator app`);
    return;
  }

  if (command === 'keys' && sub === 'init') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
    if (!values.out) fail('usage: civitas keys init --out FILE', 2);
    createKeyringFile(values.out!, false);
    say(`keyring written to ${values.out} (mode 0600); set KEYRING_FILE to it and keep a copy offline`);
    return;
  }

  if (command === 'backup') {
    await backupCommand(config, sub, rest, (fn) => withStorage(config, fn), say, fail);
    return;
  }

  if (command === 'restore') {
    await restoreCommand(
      config,
      [sub, ...rest].filter((a) => a !== undefined),
      (fn) => withStorage(config, fn),
      say,
      fail,
    );
    return;
  }

  if (command === 'keys' && sub === 'backup') {
    const path = keyringPath(config);
    say(`backup key ${addBackupKey(path)} added to ${path}; new backups are encrypted with it`);
    return;
  }

  if (command === 'keys' && sub === 'rotate') {
    const { values } = parseArgs({ args: rest, options: { suite: { type: 'string' } } });
    if (values.suite !== undefined && !(suites as readonly string[]).includes(values.suite))
      fail(`--suite takes ${suites.join(' or ')}`, 2);
    const suite = (values.suite as Suite | undefined) ?? config.cryptoSuite;
    const path = keyringPath(config);
    const keyId = addMasterKey(path);
    say(`new master key ${keyId} is active in ${path}`);
    await withStorage(config, async ({ db }) => {
      const keys = loadLocalKeyManager({ ...config, cryptoSuite: suite });
      const audit = createAuditService({ db, key: loadSigningKey(config) });
      const consent = await createConsentService({ db, audit });
      try {
        const vault = createVaultService({ db, audit, consent, keys });
        const n = await vault.rewrapKeys();
        const resealed = await vault.resealValues();
        const reindexed = await vault.reindexValues();
        await audit.append(db, {
          actor: { type: 'system', id: 'cli' },
          action: 'keys.rotated',
          clause: 'P7.2',
          detail: { keyId, rewrapped: n, suite, resealed, reindexed },
        });
        say(
          `rewrapped ${n} data keys, resealed ${resealed} values and recomputed ${reindexed} blind-index tokens with the ${suite} suite`,
        );
        if (suite !== config.cryptoSuite)
          say(`set CRYPTO_SUITE=${suite} on every process, so that new values are sealed with it too`);
        say('running processes pick up the new key without a restart');
      } finally {
        await consent.close();
      }
    });
    return;
  }

  if (command === 'oidc' && sub === 'rotate-key') {
    const { values } = parseArgs({ args: rest, options: { alg: { type: 'string', default: 'ES256' } } });
    if (values.alg !== 'ES256' && values.alg !== 'RS256')
      fail('usage: civitas oidc rotate-key [--alg ES256|RS256]', 2);
    const alg = values.alg as 'ES256' | 'RS256';
    await withStorage(config, async ({ db }) => {
      const kid = await rotateSigningKey(db, loadLocalKeyManager(config), alg);
      await createAuditService({ db, key: loadSigningKey(config) }).append(db, {
        actor: { type: 'system', id: 'cli' },
        action: 'oidc.signing_key_rotated',
        clause: 'P7.2',
        detail: { alg, kid },
      });
      say(
        `new ${alg} signing key ${kid}; running servers switch within a minute, the old key stays published`,
      );
    });
    return;
  }

  if (command === 'keys' && sub === 'audit') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
    if (!values.out) fail('usage: civitas keys audit --out FILE', 2);
    writeSigningKey(values.out!, false);
    say(`audit signing key written to ${values.out} (mode 0600); set AUDIT_SIGNING_KEY_FILE to it`);
    return;
  }

  fail(`unknown command: ${argv.join(' ')}\n${help([])}`, 2);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) fail(err.message, 2);
  if (err instanceof AppError) fail(`${err.code}: ${err.message}`);
  fail(err instanceof Error ? err.message : String(err));
});

/**
 * The one configuration schema. Every setting Civitas reads is declared here, with its
 * environment variable, default and description; `docs/config.md` is generated from it.
 *
 * Rules:
 * - Secrets have no defaults outside development/test: they are generated into the data
 *   directory in development and must be provided in production.
 * - Production refuses development keys (checked in `load.ts`, after parsing).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** proxy-addr's names for address ranges (Fastify trustProxy). */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const proxyEntry = (e: string) => {
  if (PROXY_RANGES.includes(e)) return true;
  const [address, bits, ...rest] = e.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
};
/**
 * P7.3 which proxies to believe: false, a hop count, or a list of addresses (never "all":
 * `true` makes X-Forwarded-For, which any client can write, the source address).
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (v === 'false' || v === '0') return false;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    if (v === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          'true would trust a client-written X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses',
      });
      return z.NEVER;
    }
    const list = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = list.filter((e) => !proxyEntry(e));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `not a hop count or a list of proxy addresses/CIDR ranges: ${bad.join(', ') || v}`,
      });
      return z.NEVER;
    }
    return list;
  });

const linkedProviderList = z
  .array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]{2,30}$/, 'lower-case letters, digits and hyphens'),
      name: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1), cs: z.string().min(1) }),
      issuer: z.url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(16),
    }),
  )
  .max(10);

export interface SettingMeta {
  env: string;
  secret?: boolean;
  /** A URL of an outside system (tokens and personal data travel on it): https: in production. */
  outside?: boolean;
}

/** Each key: [schema, meta]. Order here is the order in docs/config.md. */
export const settings = {
  mode: [
    z
      .enum(['development', 'test', 'production'])
      .default('development')
      .describe(
        'Run mode. `production` refuses development keys and demands every secret from the environment.',
      ),
    { env: 'CIVITAS_MODE' },
  ],
  nodeEnv: [
    z
      .string()
      .optional()
      .describe(
        "Node's own NODE_ENV, read only to be checked: `production` must come with CIVITAS_MODE=production (and CIVITAS_MODE=production with NODE_ENV unset or `production`), so a deployment cannot run development mode by accident.",
      ),
    { env: 'NODE_ENV' },
  ],
  host: [
    z.string().min(1).default('127.0.0.1').describe('Address the HTTP server binds to.'),
    { env: 'HOST' },
  ],
  port: [port.default(3000).describe('HTTP port (0 picks a free one).'), { env: 'PORT' }],
  publicUrl: [
    z
      .url()
      .optional()
      .describe(
        'External URL of the platform, used in links and printed at start. Defaults to http://HOST:PORT (http://localhost:PORT in development on a loopback HOST: passkeys need a host name).',
      ),
    { env: 'PUBLIC_URL' },
  ],
  trustProxy: [
    trustProxy
      .default(false)
      .describe(
        'Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed (P7.3: per-source limits key on the address this gives). A hop count (`1`: one proxy in front; the client address is the one that proxy saw) or a comma-separated list of proxy addresses or CIDR ranges (`10.0.0.5,10.1.0.0/16`, or `loopback`, `linklocal`, `uniquelocal`). `false`/`0`: no proxy, the peer address is the client. `true` is refused: it would believe an X-Forwarded-For the client wrote itself. With a hop count the port must be reachable only through those proxies; a list has no such condition.',
      ),
    { env: 'TRUST_PROXY' },
  ],
  dataDir: [
    z
      .string()
      .min(1)
      .default('./data')
      .describe('Directory for the embedded PostgreSQL cluster and development keys.'),
    { env: 'CIVITAS_DATA_DIR' },
  ],
  databaseUrl: [
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .describe(
        'External PostgreSQL (15 or newer). Unset: Civitas runs its own embedded PostgreSQL under the data directory.',
      ),
    { env: 'DATABASE_URL', secret: true },
  ],
  databaseOwnerUrl: [
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .describe(
        "External PostgreSQL: the schema owner role, used only to run migrations and grant DATABASE_URL's role its privileges (docs/operations.md). Unset: migrations run with DATABASE_URL, which then must own the schema — refused in production.",
      ),
    { env: 'DATABASE_OWNER_URL', secret: true },
  ],
  databasePoolMax: [
    z.coerce.number().int().min(1).max(200).default(20).describe('Connection pool size per process.'),
    { env: 'DATABASE_POOL_MAX' },
  ],
  jobsWorker: [
    bool
      .default(true)
      .describe(
        'Whether this process runs jobs (housekeeping, audit checkpoints, sweeps; docs/operations.md "Jobs"). Each run happens on one process of all that share the database; `false` makes a process that only serves requests.',
      ),
    { env: 'JOBS_WORKER' },
  ],
  jobsPollSeconds: [
    z.coerce
      .number()
      .min(0.05)
      .max(60)
      .default(1)
      .describe('How often a job-running process looks in the database for due jobs, in seconds.'),
    { env: 'JOBS_POLL_SECONDS' },
  ],
  jobsConcurrency: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(20)
      .default(2)
      .describe('Jobs one process runs at the same time (each holds a database connection while it works).'),
    { env: 'JOBS_CONCURRENCY' },
  ],
  jobsLeaseSeconds: [
    z.coerce
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(30)
      .describe(
        'How long a running job is held for its process; the process renews the hold while the job runs. If the process dies, another one takes the job up after this many seconds.',
      ),
    { env: 'JOBS_LEASE_SECONDS' },
  ],
  jobsRetrySeconds: [
    z.coerce
      .number()
      .min(0.1)
      .max(3600)
      .default(5)
      .describe(
        'Delay before a failed job is retried, doubling with each further failure up to an hour. A one-off job is retried until its attempts run out (then `civitas jobs` lists it as failed); a recurring job is retried no later than its next regular run.',
      ),
    { env: 'JOBS_RETRY_SECONDS' },
  ],
  housekeepingSeconds: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(600)
      .describe(
        'How often the housekeeping job (expired provider rows, sign-in state, attempt counters) the delivery sweep (contacts past their retention, P6.2) and the rights deadline job (reminders and escalations, P8.2) run, once across all processes.',
      ),
    { env: 'HOUSEKEEPING_SECONDS' },
  ],
  retentionPurgeSeconds: [
    z.coerce
      .number()
      .int()
      .min(60)
      .max(86400)
      .default(3600)
      .describe(
        'P6.2.purge how often the retention purge (`retention.purge` job) deletes what is past its declared time, once across all processes; `civitas retention run --dry-run` shows what it would delete.',
      ),
    { env: 'RETENTION_PURGE_SECONDS' },
  ],
  policyNoticeDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe(
        'P9.notice the least number of days a material change of the privacy policy is announced (home page, notice to every person) before it takes effect.',
      ),
    { env: 'POLICY_NOTICE_DAYS' },
  ],
  retentionBatch: [
    z.coerce
      .number()
      .int()
      .min(10)
      .max(100000)
      .default(5000)
      .describe(
        'P6.2.purge rows the purge deletes per statement: small enough that no statement holds locks for long, large enough for the round trips not to dominate.',
      ),
    { env: 'RETENTION_BATCH' },
  ],
  retentionDutyPercent: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(35)
      .describe(
        'P6.2.purge the share of a purge run spent deleting: after each batch the run waits in proportion to how long the batch took, so the requests people make meanwhile keep most of the database (100: back to back).',
      ),
    { env: 'RETENTION_DUTY_PERCENT' },
  ],
  retentionBudgetSeconds: [
    z.coerce
      .number()
      .min(1)
      .max(3600)
      .default(120)
      .describe(
        'P6.2.purge how long one purge run may keep starting batches; what is left goes at the next run.',
      ),
    { env: 'RETENTION_BUDGET_SECONDS' },
  ],
  exportLinkDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(30)
      .default(7)
      .describe(
        'P8.1.export how many days the download links of an archive of "Download my data" live; then both copies are deleted (the `export.sweep` job, every HOUSEKEEPING_SECONDS).',
      ),
    { env: 'EXPORT_LINK_DAYS' },
  ],
  logLevel: [
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log level.'),
    { env: 'LOG_LEVEL' },
  ],
  auditSigningKeyFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'File holding the Ed25519 key that signs audit checkpoints (JSON written by `civitas keys audit`). Development: generated under DATA_DIR/keys. Production: required, mode 0600, not a development key.',
      ),
    { env: 'AUDIT_SIGNING_KEY_FILE', secret: true },
  ],
  auditCheckpointSeconds: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(10)
      .describe(
        'How often a signed checkpoint of the audit chain heads is written when the log moved (also at start and at shutdown). Entries newer than the newest checkpoint — at most this many seconds of activity — can be cut off without trace unless verified against an exported checkpoint or an expected count (docs/operations.md).',
      ),
    { env: 'AUDIT_CHECKPOINT_SECONDS' },
  ],
  auditCheckpointExportFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'File rewritten with each new audit checkpoint, outside the database; copy it where database administrators cannot write and verify with `civitas audit verify --checkpoint FILE`. Default: DATA_DIR/audit/latest-checkpoint.json.',
      ),
    { env: 'AUDIT_CHECKPOINT_EXPORT_FILE' },
  ],
  keyringFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        "Local keyring (master keys that wrap each person's data key, and the blind-index key). Development: generated under DATA_DIR/keys. Production: required, mode 0600, not a development keyring.",
      ),
    { env: 'KEYRING_FILE', secret: true },
  ],
  cryptoSuite: [
    z
      .enum(['default', 'national'])
      .default('default')
      .describe(
        'P7.2 the algorithm suite of new writes: `default` AES-256-GCM, HMAC-SHA256 blind indexes, audit chain 2 (HMAC-SHA256), Ed25519 checkpoint and backup signatures; `national` (GB/T 39786-2021, ADR 0043) SM4-CTR with HMAC-SM3, HMAC-SM3 blind indexes, audit chain 3 (HMAC-SM3), SM2 signatures. Every value, token, entry and signature records its suite, so both are read; `civitas keys rotate --suite S` moves what the vault stores, online. Set the same on every process. Tokens keep ES256/RS256 (JOSE registers no SM2 algorithm).',
      ),
    { env: 'CRYPTO_SUITE' },
  ],
  residencyRegion: [
    z
      .string()
      .regex(/^[A-Z]{2}(-[A-Za-z]+)?$/, 'must be a region code such as CN')
      .default('CN')
      .describe(
        'P6.1 data residency: personal data stays in this region (CN = mainland China). Partners elsewhere need cross-border consent.',
      ),
    { env: 'DATA_RESIDENCY_REGION' },
  ],
  storageRegion: [
    z
      .string()
      .regex(/^[A-Z]{2}(-[A-Za-z]+)?$/, 'must be a region code such as CN')
      .optional()
      .describe(
        'Region of the database and its backups, as the operator declares it. Must equal DATA_RESIDENCY_REGION (P6.1); defaults to it.',
      ),
    { env: 'STORAGE_REGION' },
  ],
  backupDir: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'P7.2.backup the first backup destination: a directory (a mounted volume of another server in production). Default: DATA_DIR/backups. Each backup is a signed manifest and an encrypted file; the erasure ledger lies beside them.',
      ),
    { env: 'BACKUP_DIR' },
  ],
  backupDirRegion: [
    z
      .string()
      .regex(/^[A-Z]{2}(-[A-Za-z]+)?$/, 'must be a region code such as CN')
      .optional()
      .describe(
        'P6.1 region of BACKUP_DIR as the operator declares it; start-up refuses one outside DATA_RESIDENCY_REGION. Default: STORAGE_REGION (the database’s).',
      ),
    { env: 'BACKUP_DIR_REGION' },
  ],
  backupSftpUrl: [
    z
      .string()
      .regex(/^sftp:\/\/[^@/\s]+@[^/\s]+\/\S*$/, 'must be sftp://user@host[:port]/directory')
      .optional()
      .describe(
        'P7.2.backup the off-site destination: `sftp://user@host[:port]/directory` on another server, signed in with BACKUP_SFTP_KEY_FILE, the host checked against BACKUP_SFTP_HOST_KEY. Production refuses to start with fewer than two destinations.',
      ),
    { env: 'BACKUP_SFTP_URL' },
  ],
  backupSftpKeyFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe('The private key (OpenSSH or PEM file, 0600) Civitas signs in to BACKUP_SFTP_URL with.'),
    { env: 'BACKUP_SFTP_KEY_FILE', secret: true },
  ],
  backupSftpHostKey: [
    z
      .string()
      .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'an OpenSSH fingerprint, SHA256:… (ssh-keygen -lf HOSTKEY.pub)')
      .optional()
      .describe(
        'The SFTP server’s host key fingerprint (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`); any other host key is refused, so a backup never goes to a server that only claims the name.',
      ),
    { env: 'BACKUP_SFTP_HOST_KEY' },
  ],
  backupSftpRegion: [
    z
      .string()
      .regex(/^[A-Z]{2}(-[A-Za-z]+)?$/, 'must be a region code such as CN')
      .optional()
      .describe(
        'P6.1 region of the SFTP server as the operator declares it: required with BACKUP_SFTP_URL (no default: the off-site server is elsewhere by design); start-up refuses one outside DATA_RESIDENCY_REGION.',
      ),
    { env: 'BACKUP_SFTP_REGION' },
  ],
  backupEverySeconds: [
    z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 86400)
      .default(86400)
      .describe(
        'P7.2.backup how often the job `backup.run` backs the database up to every destination (and prunes backups past BACKUP_RETENTION_DAYS); once across all processes. 0: never on a schedule (`civitas backup` still does). Outside test mode a start whose destinations hold no backup makes one at once.',
      ),
    { env: 'BACKUP_EVERY_SECONDS' },
  ],
  backupVerifyEverySeconds: [
    z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 86400)
      .default(7 * 86400)
      .describe(
        'P7.2.backup how often the job `backup.verify` restores the newest backup into a scratch PostgreSQL and checks it (migrations, audit chain, row counts). 0: never on a schedule (`civitas backup verify` still does).',
      ),
    { env: 'BACKUP_VERIFY_EVERY_SECONDS' },
  ],
  backupRetentionDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .default(14)
      .describe(
        'P7.2.backup P8.1.delete days a backup is kept on every destination (with the WAL archive it needs). A backup still holds the people erased after it was taken, so start-up refuses more days than the erasure deadline RIGHTS_CANCELLATION_WORKING_DAYS (ADR 0004, ADR 0042).',
      ),
    { env: 'BACKUP_RETENTION_DAYS' },
  ],
  backupPgBinDir: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'External PostgreSQL: the directory holding `pg_dump` and `pg_restore` (of the server’s major version or newer). Unset: the ones on PATH.',
      ),
    { env: 'BACKUP_PG_BIN_DIR' },
  ],
  smsGatewayUrl: [
    z
      .url()
      .optional()
      .describe(
        'SMS gateway speaking the protocol in docs/adapters/sms-gateway.md. Unset: development/test use the local gateway, which prints codes to the console; production requires it.',
      ),
    { env: 'SMS_GATEWAY_URL', outside: true },
  ],
  smtpUrl: [
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://… or smtps://…')
      .optional()
      .describe(
        'Mail relay, `smtps://user:pass@host:465` or `smtp://user:pass@host:587` (STARTTLS, required unless SMTP_REQUIRE_TLS=false). Unset: development/test write each mail as an .eml file under CIVITAS_DATA_DIR/mail.',
      ),
    { env: 'SMTP_URL', secret: true },
  ],
  smtpRequireTls: [
    bool
      .default(true)
      .describe(
        'Refuse to send to a relay on smtp:// that offers no STARTTLS. Production refuses false (P7.2: mail leaves only over TLS).',
      ),
    { env: 'SMTP_REQUIRE_TLS' },
  ],
  smtpCaFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe('PEM file of the CA that signed the relay’s certificate, when it is not a public one.'),
    { env: 'SMTP_CA_FILE' },
  ],
  mailFrom: [
    z
      .string()
      .min(3)
      .default('Civitas <no-reply@civitas.localhost>')
      .describe('The From of every mail Civitas sends.'),
    { env: 'MAIL_FROM' },
  ],
  smsGatewayToken: [
    z.string().min(16).optional().describe('Bearer token for SMS_GATEWAY_URL.'),
    { env: 'SMS_GATEWAY_TOKEN', secret: true },
  ],
  notifyDrainSeconds: [
    z.coerce
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(2)
      .describe(
        'How often the job `notify.drain` sends the due messages of the notification outbox (login alerts, disclosure notices; P7.3, P5.3.3); like every job, each run happens on one process of all that share the database. 0: this process does not schedule it (another must; the tests drain by hand).',
      ),
    { env: 'NOTIFY_DRAIN_SECONDS' },
  ],
  notifyWorkers: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe(
        'How many delivery loops a run of `notify.drain` keeps going at once; each claims its own batch (FOR UPDATE SKIP LOCKED), so none sends what another took. More loops hide the latency of the SMTP relay, the push services and the SMS gateway.',
      ),
    { env: 'NOTIFY_WORKERS' },
  ],
  notifyBatch: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe(
        'How many due deliveries one loop of `notify.drain` claims at a time. A run keeps claiming until nothing is due (or `NOTIFY_DRAIN_BUDGET_SECONDS` has passed), so a notice to a million people drains in one go rather than 20 messages per run.',
      ),
    { env: 'NOTIFY_BATCH' },
  ],
  notifyDrainBudgetSeconds: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(50)
      .describe(
        'How long one run of `notify.drain` keeps claiming before it ends (the next run carries on), so a long backlog does not keep other jobs of its node waiting for ever.',
      ),
    { env: 'NOTIFY_DRAIN_BUDGET_SECONDS' },
  ],
  vapidPublicKey: [
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, 'the base64url P-256 public key (65 bytes) of VAPID_PRIVATE_KEY')
      .optional()
      .describe(
        'Web push (RFC 8292): the VAPID public key browsers subscribe with (`npx web-push generate-vapid-keys`). Development/test: generated under DATA_DIR/keys. Production: required with VAPID_PRIVATE_KEY; changing it invalidates every subscription.',
      ),
    { env: 'VAPID_PUBLIC_KEY' },
  ],
  vapidPrivateKey: [
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url P-256 private key (32 bytes)')
      .optional()
      .describe(
        'The VAPID private key that signs each push request. Production: required, not a development key.',
      ),
    { env: 'VAPID_PRIVATE_KEY', secret: true },
  ],
  vapidSubject: [
    z
      .string()
      .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'a mailto: address or an https: URL')
      .default('mailto:security@civitas.localhost')
      .describe(
        'Who push services can contact about our pushes (the VAPID `sub`): a mailto: address or an https: URL of the operator. Production: set it to a real one.',
      ),
    { env: 'VAPID_SUBJECT' },
  ],
  pushServiceHosts: [
    z
      .string()
      .default(
        'fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,web.push.apple.com,*.push.apple.com',
      )
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .describe(
        'Push services a subscription may point to (host names; `*.` for sub-domains), over https only. A browser gives its push service as a URL; any other host is refused when subscribing and never sent to, so the API cannot make Civitas call arbitrary hosts. Outside production a loopback http endpoint is accepted as well (the local push endpoint).',
      ),
    { env: 'PUSH_SERVICE_HOSTS' },
  ],
  transferNoticeDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe(
        'P5.3.2 the notice period a new transfer campaign proposes (merger, acquisition, change of operator): days between telling every affected person and the earliest transfer of their data. The DPO may set another per campaign (1–365).',
      ),
    { env: 'TRANSFER_NOTICE_DAYS' },
  ],
  rightsCancellationWorkingDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .default(15)
      .describe(
        'P8.5.cancel the deadline of an account cancellation request, in Chinese working days counted from the day after it is received (GB/T 35273-2020 §8.5: 15).',
      ),
    { env: 'RIGHTS_CANCELLATION_WORKING_DAYS' },
  ],
  closureCoolingOffDays: [
    z.coerce
      .number()
      .int()
      .min(0)
      .max(60)
      .default(7)
      .describe(
        'P8.5.cancel the cooling-off period of an account closure, in calendar days: the account works and the person can undo the closure until it ends; it never ends after the deadline (RIGHTS_CANCELLATION_WORKING_DAYS). 0 closes at the next run of the closing job.',
      ),
    { env: 'CLOSURE_COOLING_OFF_DAYS' },
  ],
  rightsRequestDays: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(90)
      .default(30)
      .describe(
        'P8.2 the deadline of every other rights request (copy, correction, deletion, restriction, objection, explanation), in calendar days counted from the day after it is received.',
      ),
    { env: 'RIGHTS_REQUEST_DAYS' },
  ],
  rightsRemindWorkingDays: [
    z.coerce
      .number()
      .int()
      .min(0)
      .max(30)
      .default(3)
      .describe(
        'P8.2 the DPO’s queue marks an open rights request as due soon (and the audit chain records it) when this many working days or fewer are left.',
      ),
    { env: 'RIGHTS_REMIND_WORKING_DAYS' },
  ],
  workingDaysFile: [
    z
      .string()
      .min(1)
      .optional()
      .describe(
        'A JSON file `{ "holidays": ["YYYY-MM-DD", …], "workdays": [ … ] }` adding the State Council’s holidays and make-up working days (调休) for a year the `chinese-days` package does not carry yet (ADR 0034). Unset: the package’s calendar alone.',
      ),
    { env: 'WORKING_DAYS_FILE' },
  ],
  incidentClassIPeople: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(100000000)
      .describe(
        'P7.2i an incident affecting more people than this is suggested as class I (特别重大) of the national network-security incident plan; the security officer confirms the class (ADR 0031).',
      ),
    { env: 'INCIDENT_CLASS_I_PEOPLE' },
  ],
  incidentClassIIPeople: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(10000000)
      .describe(
        'P7.2i an incident affecting more people than this is suggested as class II (重大) of the national network-security incident plan; the security officer confirms the class (ADR 0031).',
      ),
    { env: 'INCIDENT_CLASS_II_PEOPLE' },
  ],
  incidentClassIIIPeople: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(1000000)
      .describe(
        'P7.2i an incident affecting more people than this is suggested as class III (较大) of the national network-security incident plan; the security officer confirms the class (ADR 0031).',
      ),
    { env: 'INCIDENT_CLASS_III_PEOPLE' },
  ],
  incidentClassIVPeople: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(100000)
      .describe(
        'P7.2i an incident affecting more people than this is suggested as class IV (一般) of the national network-security incident plan; the security officer confirms the class (ADR 0031).',
      ),
    { env: 'INCIDENT_CLASS_IV_PEOPLE' },
  ],
  incidentReportHoursCii: [
    z.coerce
      .number()
      .positive()
      .max(72)
      .default(1)
      .describe(
        'P7.2i hours from detection within which an operator of critical information infrastructure must report an incident to the cyberspace authority (the report clock; fixed on the incident when it is opened).',
      ),
    { env: 'INCIDENT_REPORT_HOURS_CII' },
  ],
  incidentReportHoursStateOrgan: [
    z.coerce
      .number()
      .positive()
      .max(72)
      .default(2)
      .describe(
        'P7.2i hours from detection within which a state organ must report an incident to the cyberspace authority (the report clock; fixed on the incident when it is opened).',
      ),
    { env: 'INCIDENT_REPORT_HOURS_STATE_ORGAN' },
  ],
  incidentReportHoursOther: [
    z.coerce
      .number()
      .positive()
      .max(72)
      .default(4)
      .describe(
        'P7.2i hours from detection within which any other operator must report an incident to the cyberspace authority (the report clock; fixed on the incident when it is opened).',
      ),
    { env: 'INCIDENT_REPORT_HOURS_OTHER' },
  ],
  incidentClockSeconds: [
    z.coerce
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(60)
      .describe(
        'P7.2i how often the incident clock job looks for reports half-way to their deadline (reminder) or past it (escalation), once across all processes.',
      ),
    { env: 'INCIDENT_CLOCK_SECONDS' },
  ],
  companyRegistryUrl: [
    z
      .url()
      .optional()
      .describe(
        'Company registry speaking the protocol in docs/adapters/company-registry.md (confirms legal representatives). Unset: development/test use the local registry of fictitious companies; production requires it.',
      ),
    { env: 'COMPANY_REGISTRY_URL', outside: true },
  ],
  companyRegistryToken: [
    z.string().min(16).optional().describe('Bearer token for COMPANY_REGISTRY_URL.'),
    { env: 'COMPANY_REGISTRY_TOKEN', secret: true },
  ],
  linkedProviders: [
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return [];
        try {
          const parsed = linkedProviderList.safeParse(JSON.parse(raw));
          if (parsed.success) return parsed.data;
          ctx.addIssue({
            code: 'custom',
            message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          });
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
        }
        return z.NEVER;
      })
      .describe(
        'P7.1 upstream OpenID Connect providers for linked accounts, as a JSON array of `{"id","name":{"zh-CN","en","cs"},"issuer","clientId","clientSecret"}` (docs/adapters/linked-accounts.md). Unset: development/test start a local development provider; production offers no linked sign-in.',
      ),
    { env: 'LINKED_ACCOUNT_PROVIDERS', secret: true },
  ],
  signInRateLimit: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(30)
      .describe(
        'Sign-in, registration, code and reset attempts (POSTs; page views do not count) allowed per source address per minute and policy, one bucket per policy shared by the page and the API and by every process (P7.3).',
      ),
    { env: 'SIGNIN_RATE_LIMIT_PER_MINUTE' },
  ],
  redisUrl: [
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional()
      .describe(
        'Redis holding the attempt counters (per-source sign-in limits, code budgets, failure counts; P7.3), shared by every process. Unset: the same counters live in PostgreSQL (table `rate_limit`).',
      ),
    { env: 'REDIS_URL', secret: true },
  ],
  populationRegistryUrl: [
    z
      .url()
      .optional()
      .describe(
        'Population registry speaking docs/adapters/population-registry.md (L2, and the photo reference for L3). Unset: development/test use the local registry of fictitious people; production requires it.',
      ),
    { env: 'POPULATION_REGISTRY_URL', outside: true },
  ],
  populationRegistryToken: [
    z.string().min(16).optional().describe('Bearer token for POPULATION_REGISTRY_URL.'),
    { env: 'POPULATION_REGISTRY_TOKEN', secret: true },
  ],
  faceMatchUrl: [
    z
      .url()
      .optional()
      .describe(
        'Face-recognition partner speaking docs/adapters/face-match.md (L3). Unset: development/test use the local face model; production requires it.',
      ),
    { env: 'FACE_MATCH_URL', outside: true },
  ],
  faceMatchToken: [
    z.string().min(16).optional().describe('Bearer token for FACE_MATCH_URL.'),
    { env: 'FACE_MATCH_TOKEN', secret: true },
  ],
  faceMatchThreshold: [
    z.coerce
      .number()
      .min(0.5)
      .max(1)
      .default(0.8)
      .describe(
        'Lowest similarity score (0 to 1) the face partner must report, with liveness passed, for L3.',
      ),
    { env: 'FACE_MATCH_THRESHOLD' },
  ],
  bankVerifyUrl: [
    z
      .url()
      .optional()
      .describe(
        'Bank four-element check speaking docs/adapters/bank-verify.md (L4). Unset: development/test use the local bank of fictitious cards; production requires it.',
      ),
    { env: 'BANK_VERIFY_URL', outside: true },
  ],
  bankVerifyToken: [
    z.string().min(16).optional().describe('Bearer token for BANK_VERIFY_URL.'),
    { env: 'BANK_VERIFY_TOKEN', secret: true },
  ],
  verificationAttemptsPerDay: [
    z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe(
        'Verification attempts allowed per person and method in 24 hours (retries after a partner outage do not count).',
      ),
    { env: 'VERIFICATION_ATTEMPTS_PER_DAY' },
  ],
  oidcRateLimit: [
    z.coerce
      .number()
      .int()
      .min(1)
      .default(120_000)
      .describe(
        'Requests to the OpenID provider (/oidc) allowed per source address per minute, counted by each process on its own (flood control, not attempt counting: ADR 0009), so N nodes allow N times this. Department back ends call the token endpoint from few addresses at high rates.',
      ),
    { env: 'OIDC_RATE_LIMIT_PER_MINUTE' },
  ],
  adminEmail: [
    z
      .email()
      .optional()
      .describe('With ADMIN_PASSWORD: create this first administrator at start if no staff account exists.'),
    { env: 'CIVITAS_ADMIN_EMAIL' },
  ],
  adminPassword: [
    z
      .string()
      .min(12, 'must be at least 12 characters')
      .optional()
      .describe('Password for CIVITAS_ADMIN_EMAIL. Never defaulted.'),
    { env: 'CIVITAS_ADMIN_PASSWORD', secret: true },
  ],
  departmentAppUrl: [
    z
      .url()
      .default('http://localhost:3001')
      .describe(
        'Where the demo department app (`npm run department`) runs: the demo services are registered as its clients.',
      ),
    { env: 'DEPARTMENT_APP_URL' },
  ],
  seedDemoData: [
    bool.default(true).describe('Seed departments and services into an empty database at first start.'),
    { env: 'SEED_DEMO_DATA' },
  ],
} as const satisfies Record<string, readonly [z.ZodType, SettingMeta]>;

type Settings = typeof settings;
export type Config = { readonly [K in keyof Settings]: z.output<Settings[K][0]> };

/**
 * The platform's lifecycle: open storage, migrate, wire services, seed, listen; and the
 * reverse on shutdown, in an order that loses nothing: stop accepting, finish in-flight
 * requests, write a final audit checkpoint, close the pool, stop the embedded server.
 */
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { buildApp } from './app.ts';
import { createLogger, createWiring } from './wiring.ts';
import { sweepLimits } from './shared/limits.ts';
import { publicUrlOf, type Config } from './kernel/config/index.ts';
import { ensureCurrentPartitions, openStorage, type Storage } from './kernel/db/index.ts';
import { NOTICE_JOB, publishBundled, type NoticeJob, type PolicyVersions } from './modules/policy/index.ts';
import { tellEveryone } from './policy-notice.ts';
import { clock } from './kernel/clock.ts';
import {
  checkpointExportPath,
  loadSigningKey,
  holdsExportedCheckpoint,
  type AuditService,
} from './modules/audit/index.ts';
import type { RelyingPartyRegistry } from './modules/catalogue/index.ts';
import { createProvider, keysVersion, sweepExpired, type ProviderHolder } from './oidc/index.ts';
import {
  BACKCHANNEL_JOB,
  sendBackchannelLogout,
  type BackchannelLogout,
  type BackchannelRetry,
} from './oidc/session-ends.ts';
import type { DeliveryService } from './modules/delivery/index.ts';
import { PREPARE_JOB, type ExportService } from './modules/export/index.ts';
import type { Connected } from './modules/connected/index.ts';
import type { ActivityService } from './modules/activity/index.ts';
import type { IncidentService } from './modules/incident/index.ts';
import { createJobRunner, type JobRunner } from './modules/jobs/index.ts';
import type { ConsentService } from './modules/consent/index.ts';
import type { PolicyService } from './modules/policy/index.ts';
import type { SmsGateway } from './adapters/sms.ts';
import type { CompanyRegistry } from './adapters/company-registry.ts';
import type { CompanyService } from './modules/company/index.ts';
import type { DevProvider } from './adapters/outside-systems.ts';
import type { LinkedService } from './modules/linked/index.ts';
import type { CitizenSessions } from './modules/session/index.ts';
import { sweepExpiredSignIns, type IdentityService } from './modules/signin/index.ts';
import type { NotifyService } from './modules/notify/index.ts';
import type { AnnounceService } from './modules/announce/index.ts';
import type { TransferService } from './modules/transfer/index.ts';
import type { RightsService } from './modules/rights/index.ts';
import { heldForEveryone, heldPeople, type Holds, type RetentionService } from './modules/retention/index.ts';
import type { ClosureService } from './modules/closure/index.ts';
import { SECURITY_EVENT_JOB, type OwedSecurityEvent } from './oidc/security-events.ts';
import type { SharingService } from './modules/sharing/index.ts';
import type { StaffRole, StaffService } from './modules/staff/index.ts';
import type { VerificationAdapters, VerificationService } from './modules/verification/index.ts';
import { loadBackupKeys, loadLocalKeyManager, type VaultService } from './modules/vault/index.ts';
import {
  backupDestinations,
  checkBackupConfig,
  createBackupService,
  listBackups,
  type BackupService,
} from './modules/backup/index.ts';
import { httpPolicy } from './web/http/cookies.ts';
import type { UsageService } from './modules/usage/index.ts';
import type { Personalisation } from './modules/personal/index.ts';

export interface Platform {
  app: FastifyInstance;
  url: string;
  storage: Storage;
  audit: AuditService;
  staff: StaffService;
  vault: VaultService;
  consent: ConsentService;
  /** Policy documents: the privacy policy and every consent text, versioned (P9). */
  policy: PolicyService;
  /** P9 the privacy policy's versions, their notice (job `policy.notice`) and acceptance. */
  policyVersions: PolicyVersions;
  sharing: SharingService;
  sessions: CitizenSessions;
  identity: IdentityService;
  sms: SmsGateway;
  /** P7.3 P5.3.3 the outbox of messages to people (`drainOutbox` sends what is due now). */
  notify: NotifyService;
  /** P7.2i P9 platform-wide announcements (home page and the signed-in header). */
  announce: AnnounceService;
  /** P5.3.2 bulk transfer campaigns (the console's transfer page runs them). */
  transfer: TransferService;
  /** P8.2–P8.4 rights requests (the deadline job `rights.deadlines` marks reminders and escalations). */
  rights: RightsService;
  /** P8.5.cancel account closures (the job `closure.due` closes them after the cooling-off period). */
  closure: ClosureService;
  /** P7.2.backup backups to every destination, the erasure ledger, the restore drill (jobs `backup.*`). */
  backup: BackupService;
  verification: VerificationService;
  /** The verification partners' clients (local implementations in development and test). */
  partners: VerificationAdapters;
  registry: RelyingPartyRegistry;
  oidc: ProviderHolder;
  /** Rebuilds the OpenID provider now (it also happens within 30 s of a key change). */
  reloadOidc(): Promise<void>;
  /**
   * Deletes expired provider rows, sign-in state, attempt counters and delivery contacts
   * past their retention now (the `platform.housekeeping` and `delivery.sweep` jobs do the
   * same every HOUSEKEEPING_SECONDS).
   */
  housekeeping(): Promise<{ oidcRows: number; signIns: number; deliveries: number; limits: number }>;
  /** The job runner (ADR 0012): register jobs, enqueue one-off jobs, read their status. */
  jobs: JobRunner;
  companyRegistry: CompanyRegistry;
  company: CompanyService;
  linked: LinkedService;
  delivery: DeliveryService;
  /** P7.2i the incident record. */
  incident: IncidentService;
  /** P8.1.export "Download my data" (`prepare` is the `export.prepare` job). */
  exports: ExportService;
  /** P8.1.view connected services (the account closure disconnects each). */
  connected: Connected;
  /** P8.1.view the activity history; "this wasn't me" reports (P7.3). */
  activity: ActivityService;
  /** P6.2.hold legal holds. */
  holds: Holds;
  /** P6.2.purge the retention purge (the job `retention.purge`). */
  retention: RetentionService;
  /** P4 usage statistics (the job `usage.aggregate`). */
  usage: UsageService;
  /** P4 the home page's personalisation (recent and favourite services, service hall). */
  personal: Personalisation;
  /** Development and test: the local upstream OpenID provider for linked accounts. */
  devProvider?: DevProvider | undefined;
  logger: Logger;
  /** Development only: the administrator created at first start, to print once. */
  demoAdmin?: { email: string; password: string } | undefined;
  /**
   * Development only: every console account created at first start (the administrator, a
   * support agent who looks up accounts, a service-hall clerk who records in-person
   * checks), to print once: one role each, so a newcomer can try every staff journey.
   */
  demoStaff?: DemoStaff[] | undefined;
  /**
   * Graceful stop: stop accepting, finish in-flight requests, final audit checkpoint,
   * close the pool, stop the embedded server; each step logged. Safe to call repeatedly.
   */
  close(): Promise<void>;
  /** Shortens a close in progress (drops open connections instead of waiting); never skips a step. */
  hurry(): void;
  /** Called once if the embedded PostgreSQL dies under us (the caller should close and exit). */
  onDatabaseLost(fn: () => void): void;
}

export interface DemoStaff {
  email: string;
  password: string;
  role: StaffRole;
}

/**
 * Development first start: console accounts with random passwords shown once, so a
 * newcomer can sign in without another step. Never a fixed default password. One account
 * per role a newcomer needs (roles are least privilege: the administrator reads no
 * personal data, so it can neither look an account up nor record an in-person check).
 */
async function createDemoStaff(staff: StaffService): Promise<DemoStaff[]> {
  const accounts: { email: string; displayName: string; role: StaffRole }[] = [
    { email: 'admin@civitas.example', displayName: 'Demo administrator', role: 'administrator' },
    { email: 'support@civitas.example', displayName: 'Demo support agent', role: 'support' },
    { email: 'hall@civitas.example', displayName: 'Demo service-hall clerk', role: 'service_hall' },
    { email: 'security@civitas.example', displayName: 'Demo security officer', role: 'security_officer' },
  ];
  const created: DemoStaff[] = [];
  for (const a of accounts) {
    const password = randomBytes(12).toString('base64url');
    await staff.create({ ...a, password }, { type: 'system', id: 'development-first-start' });
    created.push({ email: a.email, password, role: a.role });
  }
  return created;
}

/**
 * Development: the demo services' client secrets, for `npm run department` to read
 * (0600 in the data directory, never in the repository). Secrets issued earlier are kept.
 */
function writeDemoClients(
  dataDir: string,
  issuer: string,
  issued: { clientId: string; clientSecret: string; scope: string; delivery: boolean }[],
): void {
  const file = join(dataDir, 'demo-clients.json');
  const before = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { clients: typeof issued }).clients
    : [];
  const clients = [...before.filter((c) => !issued.some((i) => i.clientId === c.clientId)), ...issued];
  writeFileSync(file, `${JSON.stringify({ issuer, clients }, null, 2)}\n`, { mode: 0o600 });
}

/**
 * P7.2: the database must still hold the checkpoint this data directory exported last; if
 * not, the log was cut back or wiped since. Production refuses to start (a fresh genesis
 * checkpoint would hide it); other modes say so loudly, since a developer may point a data
 * directory at a new database on purpose.
 */
async function checkExportedCheckpoint(
  db: Storage['db'],
  exportFile: string,
  config: Config,
  logger: Logger,
): Promise<void> {
  const { holds, exported } = await holdsExportedCheckpoint(db, exportFile);
  if (holds || !exported) return;
  const message = `the audit log does not hold checkpoint ${exported.id} (${exported.createdAt}) exported to ${exportFile}: it was cut back or wiped, or this is another database`;
  if (config.mode === 'production')
    throw new Error(`${message}; investigate with \`civitas audit verify --checkpoint ${exportFile}\``);
  logger.error({ clause: 'P7.2' }, message);
}

export { createLogger };

export async function startPlatform(
  config: Config,
  opts: { logStream?: DestinationStream } = {},
): Promise<Platform> {
  const logger = createLogger(config, opts.logStream);
  // P6.1 P8.1.delete P7.2.backup: a destination outside the region, a retention longer than the
  // erasure deadline, or a production with one destination stops the start here.
  const backupNotes = checkBackupConfig(config).notes;
  const key = loadSigningKey(config);
  const keys = loadLocalKeyManager(config);
  const backupKeys = loadBackupKeys(config);
  const storage = await openStorage(config, (msg) => logger.info(msg));
  const { db } = storage;
  // P7.2: a role that could switch the audit triggers off never serves in production.
  if (storage.roleProblems.length > 0) {
    if (config.mode === 'production') {
      await storage.close();
      throw new Error(
        `refusing to start: ${storage.roleProblems.join('; ')}. Connect DATABASE_URL as the application role and run migrations with DATABASE_OWNER_URL (docs/operations.md)`,
      );
    }
    logger.warn({ problems: storage.roleProblems }, 'the database role has more privileges than it needs');
  }
  const closers: (() => Promise<void>)[] = [];
  try {
    const exportFile = checkpointExportPath(config);
    const oidc: ProviderHolder = {};
    const backchannelRetry: BackchannelRetry = {};
    let baseUrl = '';
    const w = createWiring({
      config,
      db,
      logger,
      key,
      exportFile,
      keys,
      oidc,
      backchannelRetry,
      baseUrl: () => baseUrl,
      closers,
    });
    const audit = await w.audit();
    await checkExportedCheckpoint(db, exportFile, config, logger);
    // P7.2: a checkpoint at every start (the genesis one on an empty log), so the log is
    // never without one and the unsigned window starts small.
    await audit.checkpoint();
    // The logs' month partitions for now and the months ahead (the purge job keeps them
    // coming), so the default partition stays empty (ADR 0044).
    await ensureCurrentPartitions(db, clock.date());
    const staff = await w.staff();
    const catalogue = await w.catalogue();
    const policy = await w.policy();
    // P9.version the policy versions shipped with this release (a no-op once published).
    await publishBundled(db, policy);
    const policyVersions = await w.policyVersions();
    const consent = await w.consent();
    const vault = await w.vault();
    const sms = await w.sms();
    const notify = await w.notify();
    const sharing = await w.sharing();
    const sessions = await w.sessions();
    const registry = await w.registry();
    const limiterStore = await w.limiterStore();
    const limiter = await w.limiter();
    const identity = await w.identity();
    const companyRegistry = await w.companyRegistry();
    const company = await w.company();
    const devProvider = await w.devProvider();
    const linked = await w.linked();
    const partners = await w.partners();
    const verification = await w.verification();

    if (config.seedDemoData && (await catalogue.seedDemoIfEmpty()))
      logger.info('seeded the demo service catalogue');
    if (config.adminEmail && config.adminPassword && (await staff.count()) === 0) {
      await staff.create(
        {
          email: config.adminEmail,
          displayName: 'Administrator',
          role: 'administrator',
          password: config.adminPassword,
        },
        { type: 'system', id: 'environment' },
      );
      logger.info('created the first administrator from CIVITAS_ADMIN_EMAIL');
    }
    const demoStaff =
      config.mode === 'development' && (await staff.count()) === 0 ? await createDemoStaff(staff) : undefined;
    const demoAdmin = demoStaff?.find((a) => a.role === 'administrator');

    const delivery = await w.delivery();
    const pushSubscriptions = await w.pushSubscriptions();
    const email = await w.email();
    const transfer = await w.transfer();
    const rights = await w.rights();
    const incident = await w.incident();
    const announce = await w.announce();
    const exports = await w.exports();
    const closure = await w.closure();
    const securityEvents = await w.securityEvents();
    const connected = await w.connected();
    const activity = await w.activity();
    const holds = await w.holds();
    const retention = await w.retention();
    const usage = await w.usage();
    closers.push(() => usage.close());
    const personal = await w.personal();

    // One HTTP policy for the app and the OpenID provider (secure cookies, cookie names).
    const http = httpPolicy(config);
    const app = await buildApp({
      http,
      config,
      logger,
      db,
      audit,
      staff,
      catalogue,
      consent,
      policy,
      policyVersions,
      vault,
      sharing,
      sessions,
      identity,
      verification,
      registry,
      oidc,
      company,
      linked,
      delivery,
      incident,
      pushSubscriptions,
      email,
      notify,
      announce,
      transfer,
      rights,
      exports,
      closure,
      connected,
      activity,
      holds,
      usage,
      personal,
      limiter,
      databaseAlive: storage.serverAlive,
    });
    await app.listen({ host: config.host, port: config.port });
    const url = publicUrlOf(config, (app.server.address() as AddressInfo).port);
    // Rebuilt when the signing keys change (`civitas oidc rotate-key` in another process):
    // the provider reads its JWKS once, at construction. Per process, not a job (ADR
    // 0012): every process must refresh its own provider.
    let keysSeen = await keysVersion(db);
    const reloadOidc = async () => {
      keysSeen = await keysVersion(db);
      oidc.provider = await createProvider(`${url}/oidc`, {
        config,
        db,
        keys,
        vault,
        consent,
        registry,
        sessions,
        company,
        http,
      });
    };
    await reloadOidc();
    const keyWatch = setInterval(() => {
      void keysVersion(db)
        .then((v) => (v !== keysSeen ? reloadOidc() : undefined))
        .catch((err: unknown) => logger.warn({ err }, 'checking OpenID signing keys failed'));
    }, 30_000);
    keyWatch.unref();
    closers.push(async () => clearInterval(keyWatch));

    // Jobs (ADR 0012): each runs once across all processes sharing the database. Expired
    // provider rows, sign-in state and counters, and delivery contacts past their retention
    // (P6.2) go within HOUSEKEEPING_SECONDS; the audit checkpoint (P7.2) bounds the unsigned
    // window to AUDIT_CHECKPOINT_SECONDS. What stays per process (this process's caches and
    // its embedded server) keeps its own timer below.
    // P6.2.hold a legal hold keeps delivery contacts (application data) too.
    const deliveryHeld = async (): Promise<string[] | 'everyone'> => {
      const c = await holds.coverage();
      return heldForEveryone(c, ['application']) ? 'everyone' : heldPeople(c, ['application']);
    };
    const sweepHousekeeping = async () => {
      const [oidcRows, signIns, limits] = await Promise.all([
        sweepExpired(db),
        sweepExpiredSignIns(db),
        limiterStore.kind === 'postgres' ? sweepLimits(db.pool) : 0,
      ]);
      return { oidcRows, signIns, limits };
    };
    const housekeeping = async () => {
      const [swept, deliveries] = await Promise.all([
        sweepHousekeeping(),
        delivery.sweep(await deliveryHeld()),
      ]);
      return { oidcRows: swept.oidcRows, signIns: swept.signIns, deliveries, limits: swept.limits };
    };
    const jobs = createJobRunner({
      db,
      log: logger,
      options: {
        pollSeconds: config.jobsPollSeconds,
        concurrency: config.jobsConcurrency,
        leaseSeconds: config.jobsLeaseSeconds,
        retrySeconds: config.jobsRetrySeconds,
      },
    });
    // P1.1 a service that missed a back-channel logout is told again, with back-off, for
    // several hours (16 attempts: 5 s doubling, then hourly; JOBS_RETRY_SECONDS).
    jobs.handle(BACKCHANNEL_JOB, (owed) => sendBackchannelLogout(oidc.provider, owed as BackchannelLogout), {
      maxAttempts: 16,
    });
    backchannelRetry.enqueue = (owed) => jobs.enqueue(undefined, BACKCHANNEL_JOB, owed);
    // P8.5.cancel each connected service is told its person's account was closed (a RISC
    // Security Event Token, pushed): enqueued in the closing transaction, retried with back-off.
    jobs.handle(SECURITY_EVENT_JOB, (owed) => securityEvents.push(owed as OwedSecurityEvent), {
      maxAttempts: 16,
    });
    closure.useQueue((q, owed) =>
      jobs.enqueue(q, SECURITY_EVENT_JOB, owed, { key: (owed as OwedSecurityEvent).jti }),
    );
    const backup = createBackupService({
      db,
      source: {
        kind: storage.kind,
        url: db.url,
        embedded: storage.embedded,
        region: config.storageRegion ?? config.residencyRegion,
      },
      destinations: backupDestinations(config),
      audit,
      signing: key,
      keys: backupKeys,
      retentionDays: config.backupRetentionDays,
      pgBinDir: config.backupPgBinDir,
      closures: (after) => closure.closedSince(after, 1_000_000),
      log: (msg, detail) => logger.info(detail ?? {}, msg),
    });
    closers.push(() => backup.close());
    for (const note of backupNotes) logger.info({ clause: 'P7.2.backup' }, note);
    // P7.2.backup a closing run is copied to the erasure ledger on every destination at once,
    // so a restore of an earlier backup erases these people again.
    jobs.recurring('closure.due', { everySeconds: config.housekeepingSeconds }, async () => {
      const r = await closure.runDue();
      if (r.closed > 0)
        await backup
          .syncLedger()
          .catch((err: unknown) =>
            logger.error({ err, clause: 'P7.2.backup' }, 'copying closures to the erasure ledger failed'),
          );
      return r;
    });
    jobs.recurring('backup.ledger', { everySeconds: config.housekeepingSeconds }, async () => ({
      appended: await backup.syncLedger(),
    }));
    const runBackup = async () => {
      const r = await backup.run();
      return { backup: r.manifest.id, encrypted: r.manifest.sizes.encrypted, pruned: r.pruned };
    };
    if (config.backupEverySeconds > 0)
      jobs.recurring('backup.run', { everySeconds: config.backupEverySeconds }, runBackup);
    // A first start makes its first backup at once rather than a day later.
    jobs.handle('backup.first', runBackup, { maxAttempts: 3 });
    if (config.backupVerifyEverySeconds > 0)
      jobs.recurring('backup.verify', { everySeconds: config.backupVerifyEverySeconds }, async () => {
        const r = await backup.verify();
        if (!r.ok)
          throw new Error(`restore drill of ${r.backupId ?? 'no backup'} failed: ${r.problems.join('; ')}`);
        return { backup: r.backupId, tables: r.tables, rows: r.rows };
      });
    // P6.2.purge what is past its declared time goes, except what a legal hold keeps; holds
    // past their end date end first. Counts per table and category in the run's audit entry.
    // P4 the daily usage aggregates, recomputed for yesterday and today from the raw events.
    jobs.recurring('usage.aggregate', { everySeconds: config.housekeepingSeconds }, () => usage.aggregate());
    jobs.recurring('retention.purge', { everySeconds: config.retentionPurgeSeconds }, async () => {
      const r = await retention.run();
      return { total: r.total, holdsEnded: r.holdsEnded, blocked: r.blocked.length };
    });
    // P8.1.export the archive a person asked for, prepared off the request (payload: its id only);
    // expired copies deleted on the housekeeping beat.
    jobs.handle(PREPARE_JOB, (p: { jobId: string }) => exports.prepare(p.jobId), { maxAttempts: 3 });
    exports.useQueue((q, jobId) => jobs.enqueue(q, PREPARE_JOB, { jobId }, { key: jobId }));
    // P9.notice a material change of the policy is told to every person, in batches, once each
    // (the notice's key: a retried job skips who already has it).
    policyVersions.useQueue((q, owed) =>
      jobs.enqueue(q, NOTICE_JOB, owed, { key: `${owed.documentId}:${owed.version}` }),
    );
    jobs.handle(NOTICE_JOB, (owed) => tellEveryone(db, notify, policyVersions, owed as NoticeJob), {
      maxAttempts: 10,
    });
    jobs.recurring('export.sweep', { everySeconds: config.housekeepingSeconds }, async () => ({
      expired: await exports.sweep(),
    }));
    jobs.recurring('audit.checkpoint', { everySeconds: config.auditCheckpointSeconds }, async () => ({
      checkpoint: (await audit.checkpoint()) ?? null,
    }));
    jobs.recurring('platform.housekeeping', { everySeconds: config.housekeepingSeconds }, sweepHousekeeping);
    // P7.2i the report clock: a reminder at half time, an escalation when overdue (each once).
    jobs.recurring('incident.clock', { everySeconds: config.incidentClockSeconds }, () =>
      incident.runClock(),
    );
    // P8.2 rights deadlines: reminded when close, escalated when past (each once, audited).
    jobs.recurring('rights.deadlines', { everySeconds: config.housekeepingSeconds }, () =>
      rights.runDeadlines(),
    );
    jobs.recurring('delivery.sweep', { everySeconds: config.housekeepingSeconds }, async () => ({
      erased: await delivery.sweep(await deliveryHeld()),
    }));
    // P7.3 P5.3.3 messages to people: the outbox drain is a job too (one drain at a time across
    // the nodes; FOR UPDATE SKIP LOCKED would keep concurrent drains from sending twice anyway).
    if (config.notifyDrainSeconds > 0)
      jobs.recurring('notify.drain', { everySeconds: config.notifyDrainSeconds }, async () => ({
        ...(await notify.drainUntilEmpty({
          workers: config.notifyWorkers,
          batch: config.notifyBatch,
          budgetMs: config.notifyDrainBudgetSeconds * 1000,
        })),
      }));
    baseUrl = url;
    if (config.seedDemoData && config.mode !== 'production') {
      const issued = await registry.seedDemo(config.departmentAppUrl.replace(/\/$/, ''));
      // Rewritten at every start, not only when secrets are issued: the issuer URL follows
      // the port this start listens on, so `npm run department` finds it.
      writeDemoClients(config.dataDir, `${url}/oidc`, issued);
    }
    devProvider?.allowRedirect(`${url}/linked/callback`);
    if (config.jobsWorker) await jobs.start();
    if (config.mode !== 'test' && config.backupEverySeconds > 0) {
      const held = await listBackups(backup.destinations[0]!, key).catch(() => []);
      if (held.length === 0) await jobs.enqueue(undefined, 'backup.first', {}, { key: 'backup.first' });
    }

    // Supervision of the embedded PostgreSQL: if its postmaster dies, nothing works. Say so
    // on /healthz at once and tell the owner of this platform (main exits, so a supervisor
    // restarts Civitas, and the next start runs crash recovery). Per process, not a job
    // (ADR 0012): it watches the server this process started.
    const lostListeners: (() => void)[] = [];
    let lost = false;
    const watch = setInterval(() => {
      if (lost || storage.serverAlive()) return;
      lost = true;
      logger.fatal('embedded PostgreSQL stopped unexpectedly; Civitas cannot serve without it');
      for (const fn of lostListeners) fn();
    }, 500);
    watch.unref();

    let closing: Promise<void> | undefined;
    let hurried = false;
    const close = () =>
      (closing ??= (async () => {
        clearInterval(watch);
        // No new job runs; the ones in progress finish (their writes may need requests' data).
        const jobsStopped = jobs.stop();
        // app.close() waits for in-flight requests. A keep-alive connection whose request
        // finishes during the close would otherwise hold it open for the keep-alive
        // timeout (72 s in Fastify): close such connections as soon as they go idle.
        const reap = setInterval(
          () => (hurried ? app.server.closeAllConnections() : app.server.closeIdleConnections()),
          50,
        );
        try {
          await app.close();
        } finally {
          clearInterval(reap);
        }
        logger.info('stopped accepting requests; in-flight requests finished');
        await jobsStopped;
        logger.info('job runs in progress finished');
        if (!lost) {
          await audit.checkpoint().then(
            (id) => logger.info({ checkpoint: id ?? 'unchanged' }, 'final audit checkpoint written'),
            (err: unknown) => logger.error({ err }, 'final audit checkpoint failed'),
          );
        }
        for (const closeService of closers) await closeService();
        await storage.close();
        logger.info(
          storage.kind === 'embedded'
            ? 'database pool closed, embedded PostgreSQL stopped'
            : 'database pool closed',
        );
      })());
    const hurry = () => {
      hurried = true;
      app.server.closeAllConnections();
    };
    return {
      app,
      url,
      storage,
      audit,
      staff,
      vault,
      consent,
      policy,
      sharing,
      sessions,
      identity,
      sms,
      notify,
      announce,
      transfer,
      rights,
      closure,
      backup,
      verification,
      partners,
      registry,
      oidc,
      reloadOidc,
      housekeeping,
      jobs,
      companyRegistry,
      company,
      linked,
      delivery,
      incident,
      exports,
      connected,
      activity,
      holds,
      retention,
      policyVersions,
      usage,
      personal,
      devProvider,
      logger,
      close,
      hurry,
      onDatabaseLost: (fn) => {
        lostListeners.push(fn);
      },
      demoAdmin,
      demoStaff,
    };
  } catch (err) {
    for (const close of closers) await close();
    await storage.close();
    throw err;
  }
}

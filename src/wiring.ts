/**
 * How the platform's services are built from one another: each service is a memoised
 * getter that builds what it needs first, so a caller gets a service and exactly its
 * dependencies, once. `startPlatform` (platform.ts) asks for all of them; module tests
 * (test/support/compose.ts) ask for the few they test, without HTTP, the OpenID provider
 * or the job runner. One wiring for both, so a test builds a service as production does.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { loggerOptions } from './shared/http/logger.ts';
import { Redis } from 'ioredis';
import { createLimiter, type Limiter, type LimiterStore } from './shared/limits.ts';
import type { Config } from './kernel/config/index.ts';
import type { Database } from './kernel/db/index.ts';
import {
  createAuditArchive,
  createAuditService,
  type AuditService,
  type SigningKey,
} from './modules/audit/index.ts';
import {
  createCatalogueService,
  createRelyingPartyRegistry,
  type CatalogueService,
  type RelyingPartyRegistry,
} from './modules/catalogue/index.ts';
// The two light parts of the OpenID layer, not its index: module tests need no provider.
import type { ProviderHolder } from './oidc/index.ts';
import { pairwiseSubject } from './oidc/pairwise.ts';
import { providerSessionEnds, type BackchannelRetry } from './oidc/session-ends.ts';
import { createSecurityEvents, type SecurityEvents } from './oidc/security-events.ts';
import { closedBefore, createClosureService, type ClosureService } from './modules/closure/index.ts';
import {
  createHolds,
  createRetentionService,
  type Holds,
  type RetentionService,
} from './modules/retention/index.ts';
import { createUsageService, type UsageService } from './modules/usage/index.ts';
import { createPersonalisation, forgetOnWithdrawal, type Personalisation } from './modules/personal/index.ts';
import { serviceGrants } from './oidc/service-grants.ts';
import { createConnectedService, type Connected } from './modules/connected/index.ts';
import { createActivityService, type ActivityService } from './modules/activity/index.ts';
import { createDeliveryService, type DeliveryService } from './modules/delivery/index.ts';
import { createConsentService, holdersOfLiveConsent, type ConsentService } from './modules/consent/index.ts';
import {
  createPolicyService,
  createPolicyVersions,
  type PolicyService,
  type PolicyVersions,
} from './modules/policy/index.ts';
import { openedAt } from './modules/account/index.ts';
import type { SmsGateway } from './adapters/sms.ts';
import type { CompanyRegistry } from './adapters/company-registry.ts';
import { createOutsideSystems, type DevProvider, type OutsideSystems } from './adapters/outside-systems.ts';
import { createCompanyService, type CompanyService } from './modules/company/index.ts';
import { createLinkedService, type LinkedService } from './modules/linked/index.ts';
import {
  createCitizenSessions,
  type CitizenSessions,
  type ProviderSessions,
} from './modules/session/index.ts';
import { createIdentityService, type IdentityService } from './modules/signin/index.ts';
import {
  createEmailService,
  createMailChannel,
  createNotifyService,
  createPushChannel,
  createPushSubscriptions,
  createSmsChannel,
  type EmailService,
  type NotifyService,
  type PushSubscriptions,
} from './modules/notify/index.ts';
import { createWebPush, loadVapidKeys, type PushService } from './adapters/push.ts';
import { createAnnounceService, type AnnounceService } from './modules/announce/index.ts';
import { createSharingService, type SharingService } from './modules/sharing/index.ts';
import {
  createStaffService,
  disabledBefore,
  staffEmailsOfRoles,
  staffNames,
  type StaffService,
} from './modules/staff/index.ts';
import {
  createIncidentAudience,
  createIncidentService,
  createClockAlerts,
  type IncidentService,
} from './modules/incident/index.ts';
import { createTransferService, type TransferService } from './modules/transfer/index.ts';
import { createRightsService, type RightsService } from './modules/rights/index.ts';
import { calendarFromFile, createWorkingDays, type WorkingDays } from './shared/working-days.ts';
import {
  createVerificationService,
  type VerificationAdapters,
  type VerificationService,
} from './modules/verification/index.ts';
import {
  createVaultPurge,
  createVaultService,
  type KeyManager,
  type VaultService,
} from './modules/vault/index.ts';
import { createExportService, type ExportService } from './modules/export/index.ts';
import { subjectData } from './modules/inventory/index.ts';
import { oidcExporters } from './oidc/export.ts';

export interface WiringContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** The audit signing key (loadSigningKey) and where checkpoints are exported. */
  key: SigningKey;
  exportFile?: string | undefined;
  keys: KeyManager;
  /** Filled by the platform once the OpenID provider exists; empty in module tests. */
  oidc: ProviderHolder;
  /** Where a failed back-channel logout goes to be retried (bound by platform.ts to a job). */
  backchannelRetry?: BackchannelRetry;
  /** The public URL the platform listens on, known only after it listens. */
  baseUrl: () => string;
  /** Services that hold resources (a LISTEN, a Redis client, a local provider) register their close here. */
  closers: (() => Promise<void>)[];
}

/** Every service the wiring builds, by name. */
export interface Services {
  audit: AuditService;
  staff: StaffService;
  catalogue: CatalogueService;
  policy: PolicyService;
  /** P9 versions of the privacy policy, their notice and their acceptance. */
  policyVersions: PolicyVersions;
  consent: ConsentService;
  vault: VaultService;
  outside: OutsideSystems;
  sms: SmsGateway;
  /** Web push to browsers (VAPID, RFC 8291): no development fake, only the keys differ. */
  push: PushService;
  pushSubscriptions: PushSubscriptions;
  notify: NotifyService;
  email: EmailService;
  announce: AnnounceService;
  sharing: SharingService;
  sessions: CitizenSessions;
  registry: RelyingPartyRegistry;
  providerSessions: ProviderSessions;
  limiterStore: LimiterStore;
  limiter: Limiter;
  identity: IdentityService;
  companyRegistry: CompanyRegistry;
  company: CompanyService;
  devProvider: DevProvider | undefined;
  linked: LinkedService;
  partners: VerificationAdapters;
  verification: VerificationService;
  delivery: DeliveryService;
  transfer: TransferService;
  rights: RightsService;
  incident: IncidentService;
  /** P8.1.export "Download my data". */
  exports: ExportService;
  /** The working-day calendar (ADR 0034): rights deadlines and the closure's. */
  calendar: WorkingDays;
  /** P8.5.cancel closing an account (the job `closure.due` closes it after the cooling-off period). */
  closure: ClosureService;
  /** P8.5.cancel RISC Security Event Tokens pushed to the services (the job `oidc.security-event`). */
  securityEvents: SecurityEvents;
  /** P8.1.view connected services; disconnecting one (P8.5.withdraw). */
  connected: Connected;
  /** P8.1.view the activity history; "this wasn't me" (P7.3). */
  activity: ActivityService;
  /** P6.2.hold legal holds (the DPO's desk). */
  holds: Holds;
  /** P6.2.purge the retention purge (the job `retention.purge`; `civitas retention run`). */
  retention: RetentionService;
  /** P4 usage statistics (recorded with analytics consent; the job `usage.aggregate`). */
  usage: UsageService;
  /** P4 the home page's recent and favourite services and service hall (personalisation consent). */
  personal: Personalisation;
}
export type ServiceName = keyof Services;
export type Wiring = { [K in ServiceName]: () => Promise<Services[K]> };

export function createLogger(config: Pick<Config, 'logLevel'>, stream?: DestinationStream): Logger {
  return stream ? pino(loggerOptions(config.logLevel), stream) : pino(loggerOptions(config.logLevel));
}

/**
 * The retention purge over its few dependencies, for the platform and for the command line
 * (`civitas retention run`), which opens only the database and the audit chain.
 */
export function createRetention(
  db: Database,
  audit: AuditService,
  config: Pick<Config, 'retentionBatch' | 'retentionBudgetSeconds'> & { retentionDutyPercent?: number },
  holds: Holds = createHolds({ db, audit }),
  /** The checkpoint key, to sign the archive records of dropped audit months; none: they stay. */
  key?: SigningKey,
): RetentionService {
  return createRetentionService({
    db,
    audit,
    holds,
    data: subjectData,
    // When an account closed: the closure's record for people, the disabling for staff.
    // Organisations (bound companies) have no end yet: their rule is reported unenforced.
    events: { person: closedBefore, staff: disabledBefore },
    eventTables: ['account_closure', 'staff_account'],
    vaultPurge: createVaultPurge(db),
    ...(key ? { auditArchive: createAuditArchive({ db, key, audit }) } : {}),
    consented: async (subjects, category) => new Set(await holdersOfLiveConsent(db, subjects, category)),
    batch: config.retentionBatch,
    budgetSeconds: config.retentionBudgetSeconds,
    dutyPercent: config.retentionDutyPercent ?? 100,
  });
}

function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => (built ??= build());
}

export function createWiring(ctx: WiringContext): Wiring {
  const { config, db, logger, key, keys, oidc, closers } = ctx;
  const w: Wiring = {
    audit: once(async () => createAuditService({ db, key, exportFile: ctx.exportFile })),
    staff: once(async () => createStaffService({ db, audit: await w.audit(), keys })),
    catalogue: once(async () => createCatalogueService({ db, audit: await w.audit() })),
    policy: once(async () => createPolicyService({ db })),
    policyVersions: once(async () => {
      const announce = await w.announce();
      return createPolicyVersions({
        db,
        policy: await w.policy(),
        audit: await w.audit(),
        announce: (q, a) =>
          announce.publish(q, {
            key: a.key,
            kind: 'policy',
            texts: a.texts,
            expiresAt: a.expiresAt,
            by: { id: a.by, role: 'dpo' },
          }),
        openedAt,
        noticeDays: config.policyNoticeDays,
        serviceTermsChanges: async () => (await w.registry()).policyChanges(),
      });
    }),
    consent: once(async () => {
      const consent = await createConsentService({
        db,
        audit: await w.audit(),
        policy: await w.policy(),
        log: logger,
        // P9.accept a consent whose purpose a material change touched waits for the person.
        reconsent: async (c) => (await w.policyVersions()).reconsentFor(c),
        // P8.5 withdrawing personalisation consent deletes what it kept, in the same transaction.
        onWithdrawn: forgetOnWithdrawal,
      });
      closers.push(() => consent.close());
      return consent;
    }),
    vault: once(async () =>
      createVaultService({ db, audit: await w.audit(), consent: await w.consent(), keys }),
    ),
    // The outside systems: production clients, or development fakes outside production (ADR 0020).
    outside: once(async (): Promise<OutsideSystems> => {
      const outside = await createOutsideSystems(config, {
        print: config.mode === 'development' ? (line) => process.stdout.write(`${line}\n`) : undefined,
      });
      closers.push(() => outside.close());
      return outside;
    }),
    sms: once(async (): Promise<SmsGateway> => (await w.outside()).sms),
    // P7.3 P5.3.3 messages to people: queued in the outbox, sent by the drain (a job in the platform).
    push: once(async () =>
      createWebPush({
        keys: loadVapidKeys(config),
        hosts: config.pushServiceHosts,
        allowLoopback: config.mode !== 'production',
      }),
    ),
    pushSubscriptions: once(async () =>
      createPushSubscriptions({ db, audit: await w.audit(), push: await w.push() }),
    ),
    notify: once(async () =>
      createNotifyService({
        db,
        channels: [
          createSmsChannel({ vault: await w.vault(), sms: await w.sms() }),
          createPushChannel({ db, push: await w.push(), log: logger }),
          createMailChannel({
            db,
            vault: await w.vault(),
            mail: (await w.outside()).mail,
            portalUrl: ctx.baseUrl,
            keyedHash: (data) => keys.blindIndex('unsubscribe', data),
            log: logger,
          }),
        ],
        log: logger,
      }),
    ),
    // P8.1 the person's e-mail address: its code goes directly by mail, never through the outbox.
    email: once(async () =>
      createEmailService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        mail: (await w.outside()).mail,
        notify: await w.notify(),
        codeHash: (data) => keys.blindIndex('email-code', data),
        unsubscribeHash: (data) => keys.blindIndex('unsubscribe', data),
        portalUrl: ctx.baseUrl,
        log: logger,
      }),
    ),
    // P7.2i P9 announcements on the home page and in the signed-in header.
    announce: once(async () => createAnnounceService({ db, audit: await w.audit() })),
    sharing: once(async () =>
      createSharingService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        consent: await w.consent(),
        notify: await w.notify(),
        residencyRegion: config.residencyRegion,
      }),
    ),
    // A session ended on purpose takes its browser's push subscription with it (notify's door).
    sessions: once(async () => {
      const push = await w.pushSubscriptions();
      return createCitizenSessions(db, { ended: (q, ids) => push.sessionsEnded(q, ids) });
    }),
    registry: once(async () => createRelyingPartyRegistry({ db, audit: await w.audit(), keys })),
    // P1.1 single sign-on sessions end with the portal sessions they were opened from.
    providerSessions: once(async () =>
      providerSessionEnds(oidc, (msg, detail) => logger.warn(detail, msg), ctx.backchannelRetry),
    ),
    // P7.3 attempt counters every process shares: Redis when configured, else PostgreSQL.
    limiterStore: once(async (): Promise<LimiterStore> => {
      if (!config.redisUrl) return { kind: 'postgres', pool: db.pool };
      const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      // Reported by the failing request (its counter cannot be read); not a crash.
      client.on('error', () => undefined);
      closers.push(async () => void (await client.quit().catch(() => client.disconnect())));
      return { kind: 'redis', client };
    }),
    limiter: once(async () =>
      createLimiter(await w.limiterStore(), (data) => keys.blindIndex('rate-limit', data)),
    ),
    identity: once(async () =>
      createIdentityService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        sessions: await w.sessions(),
        sms: await w.sms(),
        notify: await w.notify(),
        keyedHash: (data) => keys.blindIndex('one-time-code', data),
        keys,
        providerSessions: await w.providerSessions(),
        limiter: await w.limiter(),
      }),
    ),
    companyRegistry: once(async (): Promise<CompanyRegistry> => (await w.outside()).companyRegistry),
    company: once(async () => {
      const company = createCompanyService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        sharing: await w.sharing(),
        registry: await w.companyRegistry(),
      });
      await company.ensureRegistryPartner();
      return company;
    }),
    devProvider: once(async (): Promise<DevProvider | undefined> => (await w.outside()).devProvider),
    linked: once(async () => {
      const providers = (await w.outside()).linkedProviders;
      return createLinkedService({
        db,
        audit: await w.audit(),
        identity: await w.identity(),
        providers,
        redirectUri: () => `${ctx.baseUrl()}/linked/callback`,
        keyedHash: (data) => keys.blindIndex('linked-account', data),
      });
    }),
    partners: once(async () => (await w.outside()).partners),
    verification: once(async () => {
      const verification = createVerificationService({
        db,
        audit: await w.audit(),
        outbox: await w.notify(),
        vault: await w.vault(),
        consent: await w.consent(),
        sharing: await w.sharing(),
        adapters: await w.partners(),
        residencyRegion: config.residencyRegion,
        faceThreshold: config.faceMatchThreshold,
        attemptsPerDay: config.verificationAttemptsPerDay,
        providerSessions: await w.providerSessions(),
      });
      // A lost phone recovered online checks the account's name and ID number at the registry,
      // and at L3 the face of the person holding them.
      const recovery = (await w.identity()).selfRecovery;
      recovery.useRegistry((subjectId, requestId) =>
        verification.registryConfirms(subjectId, 'phone-recovery', requestId),
      );
      recovery.useFace((subjectId, image, requestId) =>
        verification.faceConfirms(subjectId, image, 'phone-recovery', requestId),
      );
      if ((await verification.seedPartners()) > 0) logger.info('registered the verification partners');
      return verification;
    }),
    // P5.3.2 bulk transfers: every affected person told first, the transfer refused until the period passed.
    transfer: once(async () =>
      createTransferService({
        db,
        audit: await w.audit(),
        notify: await w.notify(),
        vault: await w.vault(),
        consent: await w.consent(),
        registry: await w.registry(),
        catalogue: await w.catalogue(),
        defaultNoticeDays: config.transferNoticeDays,
      }),
    ),
    // P8.2–P8.4 rights requests: identity first, deadlines in Chinese working days, reasons cited.
    rights: once(async () =>
      createRightsService({
        db,
        audit: await w.audit(),
        outbox: await w.notify(),
        calendar: await w.calendar(),
        deadlines: {
          cancellationWorkingDays: config.rightsCancellationWorkingDays,
          requestDays: config.rightsRequestDays,
          remindWorkingDays: config.rightsRemindWorkingDays,
        },
      }),
    ),
    calendar: once(async () =>
      createWorkingDays(config.workingDaysFile ? calendarFromFile(config.workingDaysFile) : {}),
    ),
    securityEvents: once(async () =>
      createSecurityEvents({
        db,
        keys,
        registry: await w.registry(),
        issuer: () => oidc.provider?.issuer,
        log: (msg, detail) => logger.warn(detail, msg),
      }),
    ),
    // P8.5.cancel: see what happens, cool off, then sessions end, services are told, data erased.
    closure: once(async () => {
      const [connected, company, securityEvents, rights] = await Promise.all([
        w.connected(),
        w.company(),
        w.securityEvents(),
        w.rights(),
      ]);
      const closure = createClosureService({
        db,
        audit: await w.audit(),
        outbox: await w.notify(),
        calendar: await w.calendar(),
        cancellationWorkingDays: config.rightsCancellationWorkingDays,
        coolingOffDays: config.closureCoolingOffDays,
        data: subjectData,
        exemptions: () => rights.exemptions(),
        // Every service that signed the person in or received their data (connected services).
        services: async (subjectId) =>
          (await connected.services(subjectId)).map((s) => ({
            clientId: s.clientId,
            name: s.names,
            policyUrl: s.policyUrl,
          })),
        representing: async (subjectId) =>
          (await company.companies(subjectId))
            .filter((c) => c.role === 'representative' && c.status === 'active')
            .map((c) => ({ id: c.id, name: c.name })),
        sessions: await w.sessions(),
        provider: await w.providerSessions(),
        vault: await w.vault(),
        holds: await w.holds(),
        securityEvents,
        log: (msg, detail) => logger.warn(detail, msg),
      });
      // P8.5.cancel a cancellation request the DPO fulfils starts this closure.
      rights.useCancellation((staff, subjectId, c) => closure.recordForRightsRequest(staff, subjectId, c));
      return closure;
    }),
    // P7.2i security incidents: the record, its report clock, the notice to the people affected.
    incident: once(async () => {
      const audit = await w.audit();
      return createIncidentService({
        db,
        audit,
        audience: createIncidentAudience({ db, vault: await w.vault(), audit }),
        notify: await w.notify(),
        // P7.2i "by e-mail, push and announcement": the send also puts it on the home page.
        announce: await w.announce(),
        thresholds: {
          I: config.incidentClassIPeople,
          II: config.incidentClassIIPeople,
          III: config.incidentClassIIIPeople,
          IV: config.incidentClassIVPeople,
        },
        reportHours: {
          cii: config.incidentReportHoursCii,
          state_organ: config.incidentReportHoursStateOrgan,
          other: config.incidentReportHoursOther,
        },
        staffNames: (ids) => staffNames(db, ids),
        // P7.2i.report the clock wakes the people on call by mail, not only on the timeline.
        alert: createClockAlerts({
          mail: (await w.outside()).mail,
          recipients: (roles) => staffEmailsOfRoles(db, roles),
          consoleUrl: ctx.baseUrl,
          log: logger,
        }),
      });
    }),
    delivery: once(async () =>
      createDeliveryService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        registry: await w.registry(),
        subjectFor: (department, subjectId) => pairwiseSubject(keys, department, subjectId),
      }),
    ),
    // P8.1.view P8.5.withdraw connected services: the provider's grants, consents and the access log.
    connected: once(async () =>
      createConnectedService({
        db,
        audit: await w.audit(),
        consent: await w.consent(),
        vault: await w.vault(),
        registry: await w.registry(),
        grants: serviceGrants(oidc, (msg, detail) => logger.warn(detail, msg), ctx.backchannelRetry),
      }),
    ),
    // P8.1.view P7.3 the activity history from the audit chain and the access log; "this wasn't me".
    activity: once(async () =>
      createActivityService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        sessions: await w.sessions(),
        providerSessions: await w.providerSessions(),
      }),
    ),
    holds: once(async () => createHolds({ db, audit: await w.audit() })),
    usage: once(async () => createUsageService({ db, log: logger })),
    personal: once(async () => createPersonalisation({ db })),
    retention: once(async () => createRetention(db, await w.audit(), config, await w.holds(), key)),
    exports: once(async () =>
      createExportService({
        db,
        audit: await w.audit(),
        vault: await w.vault(),
        policy: await w.policy(),
        keys,
        owners: subjectData,
        exporters: oidcExporters(db),
        linkDays: config.exportLinkDays,
        outbox: await w.notify(),
      }),
    ),
  };
  return w;
}

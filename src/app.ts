/**
 * Composition root: builds the HTTP application from already-opened dependencies.
 * Nothing here opens connections or reads the environment (see platform.ts).
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './kernel/config/index.ts';
import type { Database } from './kernel/db/index.ts';
import { registerHealthRoutes } from './health.routes.ts';
import type { AuditService } from './modules/audit/index.ts';
import type { CatalogueService, RelyingPartyRegistry } from './modules/catalogue/index.ts';
import { departmentCaller, mountProvider, type ProviderHolder } from './oidc/index.ts';
import type { DeliveryService } from './modules/delivery/index.ts';
import type { IncidentService } from './modules/incident/index.ts';
import { registerDeliveryPages } from './web/portal/delivery/routes.ts';
import type { ConsentService } from './modules/consent/index.ts';
import type { PolicyService, PolicyVersions } from './modules/policy/index.ts';
import { type CitizenSessions } from './modules/session/index.ts';
import { type IdentityService } from './modules/signin/index.ts';
import { createAccountSupport } from './modules/support/index.ts';
import type { SharingService } from './modules/sharing/index.ts';
import type { CompanyService } from './modules/company/index.ts';
import { createActingFor } from './web/http/acting.ts';
import { installGuards } from './web/http/guards.ts';
import { installPrincipal } from './web/http/principal.ts';
import { installPageAddresses } from './web/http/return-address.ts';
import { whoIsSignedIn } from './web/http/signed-in-as.ts';
import { assuranceLevel } from './modules/account/index.ts';
import { httpPolicy, type HttpPolicy } from './web/http/cookies.ts';
import type { StaffService } from './modules/staff/index.ts';
import type { VerificationService } from './modules/verification/index.ts';
import type { VaultService } from './modules/vault/index.ts';
import { Api } from './shared/http/api.ts';
import { registerAccountSupportRoutes } from './web/api/account-support.api.ts';
import { registerCatalogueRoutes } from './web/api/catalogue.api.ts';
import { registerCompanyRoutes } from './web/api/company.api.ts';
import { registerConsentRoutes } from './web/api/consent.api.ts';
import { registerDeliveryRoutes } from './web/api/delivery.api.ts';
import { registerIdentityRoutes } from './web/api/identity.api.ts';
import { registerRelyingPartyRoutes } from './web/api/relying-party.api.ts';
import { registerVaultRoutes } from './web/api/vault.api.ts';
import { registerVerificationRoutes } from './web/api/verification.api.ts';
import { installProblemHandlers } from './shared/http/problem.ts';
import type { Limiter } from './shared/limits.ts';
import { installSecurity, requestId } from './shared/http/security.ts';
import { registerAdminRoutes } from './web/admin/routes.ts';
import { registerInteractionRoutes } from './web/oidc/interactions.routes.ts';
import { pageContext } from './web/context.ts';
import { localeOf } from './web/i18n/index.ts';
import { renderPage } from './web/layout.tsx';
import { ErrorPage } from './web/portal/home/view.tsx';
import { registerAuthRoutes } from './web/portal/auth/routes.ts';
import { registerMeRoutes } from './web/portal/me/routes.ts';
import { registerAccountPages } from './web/portal/account/routes.ts';
import { registerExportPages } from './web/portal/export/routes.ts';
import type { ExportService } from './modules/export/index.ts';
import { registerCompanyPages } from './web/portal/companies/routes.ts';
import { linkedSection, linkedSignIn, registerLinkedRoutes } from './web/portal/linked/routes.ts';
import type { LinkedService } from './modules/linked/index.ts';
import { registerPortalRoutes } from './web/portal/home/routes.ts';
import { registerPrivacyPages } from './web/portal/privacy/routes.ts';
import { registerVerifyPages } from './web/portal/verify/routes.ts';
import { registerSecurityRoutes } from './web/portal/security/routes.ts';
import { registerPushPages } from './web/portal/push/routes.ts';
import type { PushSubscriptions } from './modules/notify/index.ts';
import { registerEmailPages } from './web/portal/email/routes.ts';
import type { EmailService } from './modules/notify/index.ts';
import type { NotifyService } from './modules/notify/index.ts';
import type { AnnounceService } from './modules/announce/index.ts';
import { installHeaderNotices } from './web/http/header-notices.ts';
import { registerInboxPages } from './web/portal/inbox/routes.ts';
import { registerNotificationPages } from './web/portal/notifications/routes.ts';
import { registerAnnouncementDismissal } from './web/portal/announcements/routes.ts';
import { registerInboxRoutes } from './web/api/inbox.api.ts';
import type { TransferService } from './modules/transfer/index.ts';
import type { ClosureService } from './modules/closure/index.ts';
import { registerClosePages } from './web/portal/close/routes.ts';
import { registerPhoneLostPages } from './web/portal/phone-lost/routes.ts';
import type { RightsService } from './modules/rights/index.ts';
import { registerRequestPages } from './web/portal/requests/routes.ts';
import type { Connected } from './modules/connected/index.ts';
import { registerServicesPages } from './web/portal/services/routes.ts';
import type { Holds } from './modules/retention/index.ts';
import type { ActivityService } from './modules/activity/index.ts';
import { registerActivityPages } from './web/portal/activity/routes.ts';
import type { UsageService } from './modules/usage/index.ts';
import type { Personalisation } from './modules/personal/index.ts';
import { installPersonalRecording, registerPersonalPages } from './web/portal/personal/routes.ts';
import { installCookieChoice } from './web/http/cookie-choice.ts';
import { installUsageRecording } from './web/http/usage.ts';
import { registerCookiePages } from './web/portal/cookies/routes.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  audit: AuditService;
  staff: StaffService;
  catalogue: CatalogueService;
  consent: ConsentService;
  policy: PolicyService;
  /** P9 the privacy policy's versions, their notice and acceptance (web/portal/privacy, web/admin/policy). */
  policyVersions: PolicyVersions;
  vault: VaultService;
  sharing: SharingService;
  sessions: CitizenSessions;
  identity: IdentityService;
  verification: VerificationService;
  registry: RelyingPartyRegistry;
  oidc: ProviderHolder;
  company: CompanyService;
  linked: LinkedService;
  delivery: DeliveryService;
  /** P7.2i the incident record (the console's incident pages; roles: security_officer, dpo). */
  incident: IncidentService;
  /** Web push: the browsers a person turned push notifications on in (modules/notify). */
  pushSubscriptions: PushSubscriptions;
  /** P8.1 the person's e-mail address. */
  email: EmailService;
  /** The person's inbox and notification choices (modules/notify). */
  notify: NotifyService;
  /** P7.2i P9 platform-wide announcements: home page, signed-in header, console. */
  announce: AnnounceService;
  /** P5.3.2 bulk transfer campaigns, run from the console. */
  transfer: TransferService;
  /** P8.2–P8.4 rights requests: the person's pages and the DPO's desk. */
  rights: RightsService;
  /** P8.1.export "Download my data" (web/portal/export). */
  exports: ExportService;
  /** P8.5.cancel "Close my account" (web/portal/close). */
  closure: ClosureService;
  /** P8.1.view connected services (web/portal/services). */
  connected: Connected;
  /** P8.1.view the activity history (web/portal/activity) and support's desk of reports. */
  activity: ActivityService;
  /** P6.2.hold legal holds (the DPO's desk). */
  holds: Holds;
  /** P4 usage statistics: events recorded with analytics consent, daily aggregates (console). */
  usage: UsageService;
  /** P4 the home page's recent and favourite services and service hall (personalisation consent). */
  personal: Personalisation;
  /** P7.3 attempt counters shared by every process (shared/limits.ts). */
  limiter: Limiter;
  /** Whether the database server this process runs is up (embedded); /healthz reports it. */
  databaseAlive?: () => boolean;
  /** The HTTP policy (web/http/cookies.ts); built from config when not given. */
  http?: HttpPolicy;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // The HTTP policy, built once from config; the cookie registry names every cookie from it.
  const http = deps.http ?? httpPolicy(config);
  const { production } = http;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestId,
    trustProxy: http.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  // Before any route (static files included): every route takes its guards from one table,
  // and a route missing from it stops the start (web/http/guards.ts).
  installGuards(app, { limiter: deps.limiter, perMinute: config.signInRateLimit, staff: deps.staff, http });

  await installSecurity(app, production);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./web/static/', import.meta.url)),
    prefix: '/static/',
    maxAge: production ? '1d' : 0,
  });
  installProblemHandlers(app, localeOf, async (req, _reply, problem) =>
    renderPage(ErrorPage({ ctx: pageContext(req), ...problem })),
  );

  const api = new Api();
  // Who makes the request, resolved once per request (ADR 0019): every guard and handler reads it.
  installPrincipal(app, {
    sessions: deps.sessions,
    company: deps.company,
    staff: deps.staff,
    http,
    who: whoIsSignedIn({ vault: deps.vault, levelOf: (id) => assuranceLevel(deps.db, id) }),
  });
  // After the principal: the header's unread count and announcements, once per page request.
  installHeaderNotices(app, { notify: deps.notify, announce: deps.announce, policy: deps.policyVersions });
  // After the principal: the request's cookie choice (browser or account, reconciled), which
  // the cookie registry's `set` enforces (P3.2); then usage counting, only with analytics consent.
  const choices = installCookieChoice(app, { consent: deps.consent, policy: deps.policy, http });
  installUsageRecording(app, { usage: deps.usage, http });
  // After the choice: services signed in to by single sign-on, only with personalisation consent.
  installPersonalRecording(app, { personal: deps.personal, http });
  registerCookiePages(app, { choices });
  // Before the routes: it learns which pages answer GET, for every page's return address.
  installPageAddresses(app);
  const acting = createActingFor({ company: deps.company });
  registerHealthRoutes(app, api, deps.db, {
    production: deps.config.mode === 'production',
    databaseAlive: deps.databaseAlive,
  });
  registerCatalogueRoutes(app, api, deps.catalogue);
  registerVaultRoutes(app, api, {
    vault: deps.vault,
    staff: deps.staff,
    http,
  });
  registerConsentRoutes(app, api, { consent: deps.consent, staff: deps.staff, http });
  registerPortalRoutes(app, {
    catalogue: deps.catalogue,
    registry: deps.registry,
    http,
    personal: deps.personal,
  });
  registerPersonalPages(app, {
    catalogue: deps.catalogue,
    registry: deps.registry,
    http,
    personal: deps.personal,
  });
  registerPrivacyPages(app, {
    policy: deps.policy,
    policyVersions: deps.policyVersions,
    consent: deps.consent,
    catalogue: deps.catalogue,
    sharing: deps.sharing,
    ...(deps.registry ? { registry: deps.registry } : {}),
  });
  registerMeRoutes(app, { ...deps, http, linkedSection: linkedSection(deps.linked) });
  registerSecurityRoutes(app, { ...deps, http });
  registerAccountPages(app, { ...deps, http });
  registerExportPages(app, { exports: deps.exports, sessions: deps.sessions, identity: deps.identity, http });
  registerPhoneLostPages(app, { identity: deps.identity });
  registerClosePages(app, { closure: deps.closure, sessions: deps.sessions, identity: deps.identity, http });
  registerIdentityRoutes(app, api, {
    identity: deps.identity,
    http,
    publicUrl: config.publicUrl,
  });
  registerAuthRoutes(app, {
    identity: deps.identity,
    http,
    linkedSignIn: linkedSignIn(deps.linked),
  });
  registerLinkedRoutes(app, { linked: deps.linked, http });
  registerCompanyRoutes(app, api, {
    company: deps.company,
    ...acting,
    http,
  });
  registerCompanyPages(app, {
    company: deps.company,
    session: acting.session,
    http,
  });
  registerVerificationRoutes(app, api, {
    verification: deps.verification,
    policy: deps.policy,
    staff: deps.staff,
    http,
  });
  registerVerifyPages(app, {
    verification: deps.verification,
    policy: deps.policy,
    sharing: deps.sharing,
    http,
  });
  const support = createAccountSupport({
    db: deps.db,
    audit: deps.audit,
    vault: deps.vault,
    limiter: deps.limiter,
  });
  registerAccountSupportRoutes(app, api, { support, staff: deps.staff, http });
  registerAdminRoutes(app, {
    staff: deps.staff,
    audit: deps.audit,
    support,
    registry: deps.registry,
    verification: deps.verification,
    announce: deps.announce,
    http,
    transfer: deps.transfer,
    transferNoticeDays: config.transferNoticeDays,
    notify: deps.notify,
    incident: deps.incident,
    rights: deps.rights,
    closure: deps.closure,
    identity: deps.identity,
    activity: deps.activity,
    holds: deps.holds,
    usage: deps.usage,
    vault: deps.vault,
    policyVersions: deps.policyVersions,
    policyNoticeDays: config.policyNoticeDays,
  });
  registerRelyingPartyRoutes(app, api, { registry: deps.registry, staff: deps.staff, http });
  registerDeliveryRoutes(app, api, {
    delivery: deps.delivery,
    caller: departmentCaller(deps.oidc, deps.registry),
    http,
  });
  registerDeliveryPages(app, { delivery: deps.delivery, http });
  registerPushPages(app, api, { pushSubscriptions: deps.pushSubscriptions, http });
  registerEmailPages(app, { email: deps.email, http });
  registerRequestPages(app, {
    rights: deps.rights,
    identity: deps.identity,
    sessions: deps.sessions,
    http,
    deadlines: { working: config.rightsCancellationWorkingDays, calendar: config.rightsRequestDays },
  });
  registerServicesPages(app, { connected: deps.connected });
  registerActivityPages(app, {
    activity: deps.activity,
    catalogue: deps.catalogue,
    registry: deps.registry,
    sharing: deps.sharing,
    http,
  });
  registerInboxPages(app, { notify: deps.notify });
  registerNotificationPages(app, { notify: deps.notify });
  registerAnnouncementDismissal(app, { announce: deps.announce });
  registerInboxRoutes(app, api, { notify: deps.notify });
  mountProvider(app, deps.oidc, { perMinute: config.oidcRateLimit });
  registerInteractionRoutes(app, {
    holder: deps.oidc,
    db: deps.db,
    consent: deps.consent,
    policy: deps.policy,
    registry: deps.registry,
    company: deps.company,
    http,
  });

  // Built on first request: routes in encapsulated scopes register only when the app starts.
  let openapi: object | undefined;
  app.get(
    '/api/openapi.json',
    async () =>
      (openapi ??= api.openapi({
        title: 'Civitas API',
        version: '0.1.0',
        description: 'Citizen identity and personal-data platform. Errors are RFC 9457 problem details.',
      })),
  );
  return app;
}

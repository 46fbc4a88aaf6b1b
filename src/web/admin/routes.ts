/**
 * The staff console: a login page and, behind it, the console pages. Staff sessions use
 * their own cookie, separate from anything a citizen holds.
 */
import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../../modules/audit/index.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { VerificationService } from '../../modules/verification/index.ts';
import type { AccountSupport } from '../../modules/support/index.ts';
import { registerAccountPages } from './accounts/routes.ts';
import { registerServicePages } from './services/routes.ts';
import { registerAnnouncementPages } from './announcements/routes.ts';
import type { AnnounceService } from '../../modules/announce/index.ts';
import { registerConsoleHome } from './home/routes.ts';
import { registerInPersonPages } from './verify/routes.ts';
import type { RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import { registerStaffSignIn } from './sign-in/routes.ts';
import type { HttpPolicy } from '../http/cookies.ts';
import type { NotifyService } from '../../modules/notify/index.ts';
import type { TransferService } from '../../modules/transfer/index.ts';
import { registerDeliveryConsole } from './deliveries/routes.ts';
import { registerTransferPages } from './transfers/routes.ts';
import type { IncidentService } from '../../modules/incident/index.ts';
import { registerIncidentList } from './incidents/routes.ts';
import { registerIncidentPage } from './incident/routes.ts';
import { registerIncidentReport } from './incident-report/routes.ts';
import type { ClosureService } from '../../modules/closure/index.ts';
import type { RightsService } from '../../modules/rights/index.ts';
import { registerRightsDesk } from './rights/routes.ts';
import type { ActivityService } from '../../modules/activity/index.ts';
import { registerSuspiciousDesk } from './suspicious/routes.ts';
import { registerHoldsDesk } from './holds/routes.ts';
import { registerPolicyDesk } from './policy/routes.ts';
import type { PolicyVersions } from '../../modules/policy/index.ts';
import { registerUsagePage } from './usage/routes.ts';
import type { UsageService } from '../../modules/usage/index.ts';
import type { Holds } from '../../modules/retention/index.ts';
import type { VaultService } from '../../modules/vault/index.ts';
import { registerReclaimPages } from './reclaim/routes.ts';
import { registerHallPhonePages } from './hall-phone/routes.ts';
import type { IdentityService } from '../../modules/signin/index.ts';

export function registerAdminRoutes(
  app: FastifyInstance,
  deps: {
    staff: StaffService;
    audit: AuditService;
    support: AccountSupport;
    registry: RelyingPartyRegistry;
    verification: VerificationService;
    announce: AnnounceService;
    http: HttpPolicy;
    transfer: TransferService;
    /** TRANSFER_NOTICE_DAYS: the notice period a new campaign proposes. */
    transferNoticeDays: number;
    notify: Pick<NotifyService, 'outboxOverview' | 'noticeProgress'>;
    incident: IncidentService;
    rights: RightsService;
    closure: ClosureService;
    /** P7.3 support's desk of "this wasn't me" reports. */
    activity: ActivityService;
    identity: IdentityService;
    /** P6.2.hold the DPO's desk of legal holds. */
    holds: Holds;
    /** P9.version the DPO's editor of privacy policy versions. */
    policyVersions: PolicyVersions;
    policyNoticeDays: number;
    /** P4 the daily usage aggregates. */
    usage: Pick<UsageService, 'daily'>;
    vault: VaultService;
  },
) {
  const cookie = deps.http.cookieName('staff');
  // Guards (cross-site refusal, a full staff session, attempts per step): web/http/guards.table.ts.
  registerAccountPages(app, { support: deps.support, closure: deps.closure });
  registerServicePages(app, { registry: deps.registry });
  registerAnnouncementPages(app, { announce: deps.announce });
  registerTransferPages(app, { transfer: deps.transfer, defaultNoticeDays: deps.transferNoticeDays });
  registerDeliveryConsole(app, { notify: deps.notify });
  registerIncidentList(app, { incident: deps.incident });
  registerIncidentPage(app, { incident: deps.incident });
  registerIncidentReport(app, { incident: deps.incident });
  registerRightsDesk(app, { rights: deps.rights });
  registerSuspiciousDesk(app, { activity: deps.activity });
  registerHoldsDesk(app, { holds: deps.holds, vault: deps.vault });
  registerPolicyDesk(app, { policyVersions: deps.policyVersions, noticeDays: deps.policyNoticeDays });
  registerUsagePage(app, { usage: deps.usage });
  registerReclaimPages(app, { verification: deps.verification });
  registerHallPhonePages(app, { verification: deps.verification, identity: deps.identity });

  app.register(async (scope) => {
    registerStaffSignIn(scope, {
      staff: deps.staff,
      cookie,
      http: deps.http,
    });

    registerConsoleHome(scope, { audit: deps.audit });
    registerInPersonPages(scope, { verification: deps.verification });
  });
}

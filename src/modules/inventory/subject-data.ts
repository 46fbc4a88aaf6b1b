/**
 * The one list of what the platform holds about a subject: every owner's declaration
 * (`*.data.ts`, kernel/subject-data.ts), gathered here. Export, retention, erasure and
 * docs/data-inventory.md read this list; test/subject-data.test.ts holds it against the
 * schema snapshot, and test/table-ownership.test.ts derives each table's owner from it.
 *
 * Rules:
 * - Each owner of tables appears once; a new table is declared in its owner's `*.data.ts`
 *   (and a new owner's file added below). Categories are the inventory's: a typo fails
 *   the type check here.
 * - The declarations are imported directly, not through each module's index.ts: a
 *   `*.data.ts` imports only the kernel (lint-enforced), so gathering them pulls in no
 *   service and makes no import cycle (the modules import the inventory).
 */
/* eslint-disable no-restricted-imports -- the leaf declaration files, see above; this is
   also the one import of oidc/ from a module: the provider's table declaration, a leaf that
   imports only the kernel and so brings no provider code in (ADR 0018) */
import type { SubjectData } from '../../kernel/subject-data.ts';
import { dbData } from '../../kernel/db/db.data.ts';
import { oidcData } from '../../oidc/oidc.data.ts';
import { limitsData } from '../../shared/limits.data.ts';
import { accountData } from '../account/account.data.ts';
import { activityData } from '../activity/activity.data.ts';
import { announceData } from '../announce/announce.data.ts';
import { auditData } from '../audit/audit.data.ts';
import { catalogueData } from '../catalogue/catalogue.data.ts';
import { closureData } from '../closure/closure.data.ts';
import { companyData } from '../company/company.data.ts';
import { connectedData } from '../connected/connected.data.ts';
import { backupData } from '../backup/backup.data.ts';
import { consentData } from '../consent/consent.data.ts';
import { deliveryData } from '../delivery/delivery.data.ts';
import { exportData } from '../export/export.data.ts';
import { incidentData } from '../incident/incident.data.ts';
import { jobsData } from '../jobs/jobs.data.ts';
import { linkedData } from '../linked/linked.data.ts';
import { notifyData } from '../notify/notify.data.ts';
import { personalData } from '../personal/personal.data.ts';
import { photoData } from '../photo/photo.data.ts';
import { policyData } from '../policy/policy.data.ts';
import { rightsData } from '../rights/rights.data.ts';
import { retentionData } from '../retention/retention.data.ts';
import { sessionData } from '../session/session.data.ts';
import { sharingData } from '../sharing/sharing.data.ts';
import { transferData } from '../transfer/transfer.data.ts';
import { usageData } from '../usage/usage.data.ts';
import { signInData } from '../signin/signin.data.ts';
import { staffData } from '../staff/staff.data.ts';
import { supportData } from '../support/support.data.ts';
import { vaultData } from '../vault/vault.data.ts';
import { verificationData } from '../verification/verification.data.ts';
/* eslint-enable no-restricted-imports */
import { inventoryData } from './inventory.data.ts';
import type { Category } from './inventory.ts';

/** Each declaration is checked on its own (an array literal would reduce them to a common type). */
const gather = (...owners: SubjectData<Category>[]): readonly SubjectData<Category>[] => owners;

export const subjectData = gather(
  accountData,
  activityData,
  announceData,
  auditData,
  catalogueData,
  closureData,
  companyData,
  connectedData,
  backupData,
  consentData,
  deliveryData,
  exportData,
  incidentData,
  inventoryData,
  jobsData,
  linkedData,
  notifyData,
  personalData,
  photoData,
  policyData,
  rightsData,
  retentionData,
  sessionData,
  sharingData,
  transferData,
  usageData,
  signInData,
  staffData,
  supportData,
  vaultData,
  verificationData,
  oidcData,
  dbData,
  limitsData,
);

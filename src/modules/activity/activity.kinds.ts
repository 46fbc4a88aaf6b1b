/**
 * Which audit actions the activity history shows, by kind (P8.1.view, P7.3). One table:
 * the history's filter, its reading of the audit chain and the actions "this wasn't me"
 * applies to are all derived from it. An action not listed here is not shown (it may
 * concern the platform more than the person, like a staff read refused); `release` is
 * not audit actions but the access log's releases to outside actors (the vault).
 */
import type { AuditAction } from '../audit/index.ts';

export const activityKinds = ['signin', 'security', 'consent', 'request', 'release'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const isActivityKind = (v: unknown): v is ActivityKind =>
  typeof v === 'string' && (activityKinds as readonly string[]).includes(v);

export const kindActions = {
  signin: [
    'identity.login',
    'identity.login_failed',
    'identity.second_step_required',
    'identity.second_step_failed',
  ],
  security: [
    'identity.password_reset',
    'identity.password_changed',
    'identity.phone_changed',
    'identity.phone_recovered',
    'identity.factor_added',
    'identity.factor_removed',
    'identity.recovery_codes_generated',
    'identity.session_ended',
    'identity.other_sessions_ended',
    'identity.assurance_changed',
    'identity.unlocked_by_staff',
    'identity.reauthentication_failed',
    'linked.linked',
    'linked.unlinked',
    'notify.email_verified',
    'notify.email_removed',
    'activity.reported_not_me',
  ],
  consent: ['consent.given', 'consent.withdrawn', 'connected.service_disconnected'],
  request: [
    'rights.request_submitted',
    'rights.identity_confirmed',
    'rights.request_decided',
    'rights.request_withdrawn',
    'export.requested',
    'export.downloaded',
  ],
} as const satisfies Record<Exclude<ActivityKind, 'release'>, readonly AuditAction[]>;

export type ActivityAction = (typeof kindActions)[keyof typeof kindActions][number];

/** "This wasn't me" applies to sign-ins and security changes (not to the report itself). */
export const reportable: readonly string[] = [...kindActions.signin, ...kindActions.security].filter(
  (a) => a !== 'activity.reported_not_me',
);

/** Sign-in entries that record an attempt that did not succeed. */
export const unsuccessful: readonly string[] = [
  'identity.login_failed',
  'identity.second_step_failed',
  'identity.reauthentication_failed',
];

export function kindOf(action: string): ActivityKind | undefined {
  for (const k of Object.keys(kindActions) as (keyof typeof kindActions)[])
    if ((kindActions[k] as readonly string[]).includes(action)) return k;
  return undefined;
}

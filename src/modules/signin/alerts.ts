/**
 * Login alerts (P7.3): every sign-in that was risky, or came from a new device, and every
 * change that weakened the account's protection (reauth.ts), is recorded, listed on the person's security page with its reasons, and announced by SMS
 * to the verified phone.
 *
 * Rules:
 * - The SMS says when (China Standard Time) and from what kind of device ("Chrome ·
 *   Android"), nothing else: no name, no number, no place.
 * - The phone number is read through the vault (purpose account-security) when the SMS is
 *   sent (the outbox's SMS channel), so the read shows in the person's "who accessed my data".
 * - The SMS goes through the outbox (module notify): the alert's row and its message are
 *   written in the transaction of the sign-in or change, and sent after it by the drain,
 *   retried while the gateway is down. A gateway failure never delays or undoes a sign-in;
 *   the security page shows whether the SMS went (read from the outbox).
 * - P7.3 the person is also told (listed and by SMS) when wrong second-step answers pile
 *   up on the account (attempts.ts), and by SMS when someone who is not them tries to
 *   register with their ID number (no listing: nobody signed in).
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { beijingMinute, type DeliveryState, type Outbox } from '../notify/index.ts';
import type { VaultService } from '../vault/index.ts';
import type { RiskReason } from './risk.ts';
import * as repo from './signin.repository.ts';
import { clock } from '../../kernel/clock.ts';

/** Why the person is told: the risk checks of a sign-in, or wrong second-step answers. */
export type AlertReason = RiskReason | 'second-step-failures';
/** P7.3 a change that weakened the account's protection, told to the person like a sign-in alert. */
export type SecurityChange =
  | 'totp-removed'
  | 'passkey-removed'
  | 'recovery-codes-regenerated'
  | 'password-changed'
  | 'phone-changed'
  | 'phone-recovered';

export interface AlertView {
  id: string;
  at: Date;
  device: string;
  /** How the person signed in, or `security-change` (then the reason names the change). */
  method: string;
  secondStep: string | null;
  reasons: (AlertReason | SecurityChange)[];
  /** Whether its SMS reached the gateway, read from the outbox. */
  delivery: DeliveryState;
}

export function createAlerts(deps: { db: Database; vault: VaultService; notify: Outbox }) {
  const phoneOf = async (subjectId: string, requestId: string): Promise<string | undefined> => {
    const r = await deps.vault.read({
      subjectId,
      actor: { type: 'system', id: 'identity', label: 'system:identity' },
      purpose: 'account-security',
      basis: { type: 'necessity', service: 'account-security' },
      fields: ['phone'],
      requestId,
    });
    return r.values.phone;
  };

  return {
    phoneOf,

    /**
     * Lists the alert and queues its SMS, both in `q` (the sign-in's or the change's
     * transaction): the outbox sends it after the commit; nothing here waits for a gateway.
     */
    async record(
      q: Queryable,
      a: {
        subjectId: string;
        device: string;
        method: string;
        secondStep?: string;
        reasons: (AlertReason | SecurityChange)[];
        locale: string;
      },
    ): Promise<{ id: string; at: Date }> {
      const messageId = randomUUID();
      const alert = await repo.insertAlert(q, { ...a, secondStep: a.secondStep ?? null, messageId });
      const time = beijingMinute(alert.at);
      const change = a.method === 'security-change' ? (a.reasons[0] as SecurityChange) : undefined;
      const body = change
        ? { template: 'security-change' as const, params: { time, change } }
        : a.reasons.includes('second-step-failures')
          ? { template: 'sign-in-attempts' as const, params: { time, device: a.device } }
          : { template: 'login-alert' as const, params: { time, device: a.device } };
      await deps.notify.enqueue(q, { ...body, id: messageId, subjectId: a.subjectId, locale: a.locale });
      return alert;
    },

    /** P7.3 wrong second-step answers piled up: listed, and an SMS (template sign-in-attempts). */
    async secondStepFailures(
      subjectId: string,
      a: { device: string; method: string; locale: string; requestId: string },
    ): Promise<{ id: string; at: Date }> {
      return deps.db.tx((q) =>
        this.record(q, {
          subjectId,
          device: a.device,
          method: a.method,
          reasons: ['second-step-failures'],
          locale: a.locale,
        }),
      );
    },

    /** P7.3 someone tried to register with this person's ID number (template registration-attempt). */
    async registrationAttempt(q: Queryable, subjectId: string, locale: string): Promise<void> {
      await deps.notify.enqueue(q, {
        subjectId,
        template: 'registration-attempt',
        params: { time: beijingMinute(clock.date()) },
        locale,
      });
    },

    async list(subjectId: string, limit = 10): Promise<AlertView[]> {
      const rows = await repo.alertsOf(deps.db, subjectId, limit);
      const delivery = await deps.notify.deliveryOf(rows.map((r) => r.messageId));
      return rows.map(({ messageId, ...r }) => ({ ...r, delivery: delivery.get(messageId) ?? 'failed' }));
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;

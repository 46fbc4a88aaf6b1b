/**
 * Login alerts (P7.3): every sign-in that was risky, or came from a new device, and every
 * change that weakened the account's protection (reauth.ts), is recorded, listed on the person's security page with its reasons, and announced by SMS
 * to the verified phone.
 *
 * Rules:
 * - The SMS says when (China Standard Time) and from what kind of device ("Chrome ·
 *   Android"), nothing else: no name, no number, no place.
 * - The phone number is read through the vault (purpose account-security), so the read
 *   shows in the person's "who accessed my data".
 * - A gateway failure never undoes the sign-in: the alert stays listed, undelivered.
 * - P7.3 the person is also told (listed and by SMS) when wrong second-step answers pile
 *   up on the account (attempts.ts), and by SMS when someone who is not them tries to
 *   register with their ID number (no listing: nobody signed in).
 */
import type { Database, Queryable } from '../../db/database.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import type { VaultService } from '../vault/index.ts';
import type { RiskReason } from './risk.ts';

/** Why the person is told: the risk checks of a sign-in, or wrong second-step answers. */
export type AlertReason = RiskReason | 'second-step-failures';
/** P7.3 a change that weakened the account's protection, told to the person like a sign-in alert. */
export type SecurityChange = 'totp-removed' | 'passkey-removed' | 'recovery-codes-regenerated';

export interface AlertView {
  id: string;
  at: Date;
  device: string;
  /** How the person signed in, or `security-change` (then the reason names the change). */
  method: string;
  secondStep: string | null;
  reasons: (AlertReason | SecurityChange)[];
  delivered: boolean;
}

const cst = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export function createAlerts(deps: { db: Database; vault: VaultService; sms: SmsGateway }) {
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

    async record(
      q: Queryable,
      a: {
        subjectId: string;
        device: string;
        method: string;
        secondStep?: string;
        reasons: (AlertReason | SecurityChange)[];
      },
    ): Promise<{ id: string; at: Date }> {
      const { rows } = await q.query<{ id: string; created_at: Date }>(
        `INSERT INTO login_alert (subject_id, device, method, second_step, reasons)
         VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [a.subjectId, a.device, a.method, a.secondStep ?? null, a.reasons],
      );
      return { id: rows[0]!.id, at: rows[0]!.created_at };
    },

    async deliver(
      alert: { id: string; at: Date },
      subjectId: string,
      device: string,
      locale: string,
      requestId: string,
    ): Promise<void> {
      try {
        const to = await phoneOf(subjectId, requestId);
        if (!to) return;
        await deps.sms.send({ to, template: 'login-alert', params: { time: cst(alert.at), device }, locale });
        await deps.db.query('UPDATE login_alert SET delivered_at = now() WHERE id = $1', [alert.id]);
      } catch {
        // Listed on the security page all the same; the sign-in stands.
      }
    },

    /** P7.3 wrong second-step answers piled up: listed, and an SMS (template sign-in-attempts). */
    async secondStepFailures(
      subjectId: string,
      a: { device: string; method: string; locale: string; requestId: string },
    ): Promise<{ id: string; at: Date }> {
      const alert = await this.record(deps.db, {
        subjectId,
        device: a.device,
        method: a.method,
        reasons: ['second-step-failures'],
      });
      try {
        const to = await phoneOf(subjectId, a.requestId);
        if (to) {
          await deps.sms.send({
            to,
            template: 'sign-in-attempts',
            params: { time: cst(alert.at), device: a.device },
            locale: a.locale,
          });
          await deps.db.query('UPDATE login_alert SET delivered_at = now() WHERE id = $1', [alert.id]);
        }
      } catch {
        // Listed on the security page all the same.
      }
      return alert;
    },

    /** P7.3 someone tried to register with this person's ID number (template registration-attempt). */
    async registrationAttempt(subjectId: string, locale: string, requestId: string): Promise<void> {
      try {
        const to = await phoneOf(subjectId, requestId);
        if (to) {
          await deps.sms.send({
            to,
            template: 'registration-attempt',
            params: { time: cst(new Date()) },
            locale,
          });
        }
      } catch {
        // The refusal stands; the attempt is in the owner's audit trail.
      }
    },

    /** The SMS for a security change: when, and which change; a gateway failure leaves it listed. */
    async deliverChange(
      alert: { id: string; at: Date },
      subjectId: string,
      change: SecurityChange,
      locale: string,
      requestId: string,
    ): Promise<void> {
      try {
        const to = await phoneOf(subjectId, requestId);
        if (!to) return;
        await deps.sms.send({
          to,
          template: 'security-change',
          params: { time: cst(alert.at), change },
          locale,
        });
        await deps.db.query('UPDATE login_alert SET delivered_at = now() WHERE id = $1', [alert.id]);
      } catch {
        // Listed on the security page all the same; the change stands.
      }
    },

    async list(subjectId: string, limit = 10): Promise<AlertView[]> {
      const { rows } = await deps.db.query<AlertView>(
        `SELECT id, created_at AS at, device, method, second_step AS "secondStep", reasons,
                delivered_at IS NOT NULL AS delivered
           FROM login_alert WHERE subject_id = $1 ORDER BY created_at DESC LIMIT $2`,
        [subjectId, limit],
      );
      return rows;
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;

/**
 * Fresh proof before weakening an account's protection (P7.3; OWASP ASVS 7.5.1, 7.5.2):
 * removing the authenticator app or a passkey, and making new recovery codes.
 *
 * Rules:
 * - Allowed only when this session proved the person within the last 5 minutes: its sign-in,
 *   or the password, an authenticator code, or (P8.3) a one-time code sent by SMS to the
 *   verified phone typed again (`prove`).
 * - P8.3 the SMS code is the sign-in code machinery (codes.ts, purpose `reauth`): one a
 *   minute, 5 minutes, 5 guesses, and the daily budget of the account's own devices
 *   (attempts.ts); the number is read through the vault (purpose account-security).
 * - A wrong password or code counts on the session; the 5th ends the session, so a stolen
 *   cookie is no way to guess the password. Each proof and each failure is audited.
 * - Each such change is told to the person: listed with their sign-in alerts and sent by SMS
 *   to the verified phone (alerts.ts), with when and from what kind of device.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { verifyPassword } from '../../shared/password.ts';
import type { AuditService } from '../audit/index.ts';
import type { Alerts, SecurityChange } from './alerts.ts';
import type { Factors } from './factors.ts';
import { signInErrors } from './signin.errors.ts';
import type { CitizenSessions } from '../session/index.ts';
import { passwordHash } from '../account/index.ts';
import type { Codes } from './codes.ts';
import type { Attempts } from './attempts.ts';
import type { VaultService } from '../vault/index.ts';

export const FRESH_MINUTES = 5;
const PROOF_ATTEMPTS = 5;

export interface ChangeContext {
  /** The session cookie of the request: the proof is per session. */
  token: string | undefined;
  device: string;
  locale: string;
  requestId: string;
  /** The source address, for the code budgets only (never stored or logged as such). */
  source?: string | undefined;
}

export function createReauth(deps: {
  db: Database;
  audit: AuditService;
  sessions: CitizenSessions;
  factors: Factors;
  alerts: Alerts;
  codes: Codes;
  attempts: Attempts;
  vault: VaultService;
}) {
  const { db, audit, sessions, factors, alerts, codes, attempts, vault } = deps;
  /** The verified phone and its blind index; none when the vault holds no number. */
  const phoneOf = async (subjectId: string, requestId: string) => {
    const phone = await alerts.phoneOf(subjectId, requestId);
    return phone ? { phone, token: vault.lookupToken('phone', phone) } : undefined;
  };

  const requireFresh = async (c: ChangeContext) => {
    if (!(await sessions.provedWithin(c.token, FRESH_MINUTES)))
      throw new AppError(signInErrors.reauth_required);
  };

  /** Audited in the change's own entry already; here the person is told. */
  const tell = async (subjectId: string, change: SecurityChange, c: ChangeContext) => {
    await db.tx((q) =>
      alerts.record(q, {
        subjectId,
        device: c.device,
        method: 'security-change',
        reasons: [change],
        locale: c.locale,
      }),
    );
  };

  return {
    fresh: (token: string | undefined) => sessions.provedWithin(token, FRESH_MINUTES),

    /**
     * P8.3 sends a one-time code to the verified phone for `prove`, within the sign-in
     * code limits (one a minute; the daily budget of the account's own devices).
     */
    async sendCode(subjectId: string, c: ChangeContext): Promise<void> {
      if (!c.token) throw new AppError(signInErrors.reauth_required);
      const to = await phoneOf(subjectId, c.requestId);
      if (!to) throw new AppError(signInErrors.sms_unavailable);
      const number = to.token.toString('base64');
      await codes.send(to.phone, to.token, 'reauth', c.locale, () =>
        attempts.beforeCode({ number, source: c.source ?? 'unknown', knownDevice: 'session' }),
      );
    },

    /** The password, a code from the authenticator app, or (P8.3) the SMS code, typed again in this session. */
    async prove(
      subjectId: string,
      proof: { password?: string; code?: string; sms?: string },
      c: ChangeContext,
    ): Promise<void> {
      if (!c.token) throw new AppError(signInErrors.reauth_required);
      let ok = false;
      let by = 'password';
      let usedUp = false;
      if (proof.sms) {
        by = 'sms';
        const to = await phoneOf(subjectId, c.requestId);
        if (to) {
          ok = await codes.consume(to.token, 'reauth', proof.sms).then(
            () => true,
            (err: unknown) => {
              // Spent or expired: counted like any wrong proof, and the person is told to ask again.
              if (err instanceof AppError && err.code === 'identity.code_used_up') usedUp = true;
              else if (!(err instanceof AppError)) throw err;
              return false;
            },
          );
        }
      } else if (proof.code) {
        by = 'totp';
        ok = await factors.useTotp(subjectId, proof.code);
      } else if (proof.password) {
        const hash = await passwordHash(db, subjectId);
        ok = !!hash && (await verifyPassword(hash, proof.password));
      }
      if (ok) {
        await sessions.markProved(c.token);
      } else {
        const failures = await sessions.proofFailed(c.token);
        if (failures >= PROOF_ATTEMPTS) await sessions.revoke(c.token);
      }
      await audit.append(db, {
        actor: { type: 'citizen', id: subjectId },
        action: ok ? 'identity.reauthenticated' : 'identity.reauthentication_failed',
        subject: { type: 'person', id: subjectId },
        purpose: 'account-security',
        clause: by === 'sms' ? 'P8.3' : 'P7.3',
        detail: { by },
        requestId: c.requestId,
      });
      if (!ok) throw new AppError(usedUp ? signInErrors.code_used_up : signInErrors.reauth_failed);
    },

    async removeTotp(subjectId: string, c: ChangeContext) {
      await requireFresh(c);
      const r = await factors.removeTotp(subjectId, c.requestId);
      if (r.removed) await tell(subjectId, 'totp-removed', c);
      return r;
    },

    async removePasskey(subjectId: string, id: string, c: ChangeContext) {
      await requireFresh(c);
      const r = await factors.removePasskey(subjectId, id, c.requestId);
      if (r.removed) await tell(subjectId, 'passkey-removed', c);
      return r;
    },

    async regenerateRecoveryCodes(subjectId: string, c: ChangeContext) {
      await requireFresh(c);
      const codes = await factors.regenerateRecoveryCodes(subjectId, c.requestId);
      await tell(subjectId, 'recovery-codes-regenerated', c);
      return codes;
    },
  };
}

export type Reauth = ReturnType<typeof createReauth>;

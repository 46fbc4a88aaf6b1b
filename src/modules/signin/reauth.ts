/**
 * Fresh proof before weakening an account's protection (P7.3; OWASP ASVS 7.5.1, 7.5.2):
 * removing the authenticator app or a passkey, and making new recovery codes.
 *
 * Rules:
 * - Allowed only when this session proved the person within the last 5 minutes: its sign-in,
 *   or the password or an authenticator code typed again (`prove`).
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

export const FRESH_MINUTES = 5;
const PROOF_ATTEMPTS = 5;

export interface ChangeContext {
  /** The session cookie of the request: the proof is per session. */
  token: string | undefined;
  device: string;
  locale: string;
  requestId: string;
}

export function createReauth(deps: {
  db: Database;
  audit: AuditService;
  sessions: CitizenSessions;
  factors: Factors;
  alerts: Alerts;
}) {
  const { db, audit, sessions, factors, alerts } = deps;

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

    /** The password, or a code from the authenticator app, typed again in this session. */
    async prove(
      subjectId: string,
      proof: { password?: string; code?: string },
      c: ChangeContext,
    ): Promise<void> {
      if (!c.token) throw new AppError(signInErrors.reauth_required);
      let ok = false;
      let by = 'password';
      if (proof.code) {
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
        clause: 'P7.3',
        detail: { by },
        requestId: c.requestId,
      });
      if (!ok) throw new AppError(signInErrors.reauth_failed);
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

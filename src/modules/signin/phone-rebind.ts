/**
 * Binding a recovered number to an account whose phone was lost: the one way both
 * recoveries finish (hall-recovery.ts at the service hall, self-recovery.ts online).
 *
 * Rules:
 * - A number another account holds is refused (`phone_unusable`), before and, through the
 *   vault's unique index, at the write.
 * - In one transaction: the vault's phone replaced (its blind index with it), every portal
 *   session ended, every provider session and grant ended, audited
 *   (`identity.phone_recovered` with where and how), the person's alert recorded. After
 *   commit the services hear by back channel, and the old number is texted, best effort.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { clock } from '../../kernel/clock.ts';
import { SmsUnavailable, type SmsGateway } from '../../adapters/sms.ts';
import type { AuditEntryInput, AuditService } from '../audit/index.ts';
import { beijingMinute } from '../notify/index.ts';
import type { ProviderSessions, CitizenSessions } from '../session/index.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import type { Alerts } from './alerts.ts';
import { signInErrors } from './signin.errors.ts';

export interface RebindDeps {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  provider: ProviderSessions;
  alerts: Alerts;
  sms: SmsGateway;
}

export async function rebindPhone(
  deps: RebindDeps,
  r: {
    subjectId: string;
    phone: string;
    /** Who wrote the number (the vault's actor) and who is audited. */
    writer: { source: 'staff' | 'user'; actor: Actor };
    auditActor: AuditEntryInput['actor'];
    detail: Record<string, unknown>;
  },
  c: { locale: string; requestId: string; device: string },
): Promise<void> {
  const { subjectId, phone } = r;
  const holders = await deps.vault.findSubject('phone', phone);
  if (holders.some((h) => h !== subjectId)) throw new AppError(signInErrors.phone_unusable);
  const old = await deps.alerts.phoneOf(subjectId, c.requestId);
  const tell = await deps.db
    .tx(async (q) => {
      await deps.vault.write(
        subjectId,
        { phone },
        {
          source: r.writer.source,
          purpose: 'service-provision',
          actor: r.writer.actor,
          requestId: c.requestId,
        },
        q,
      );
      await deps.sessions.revokeAll(q, subjectId);
      await deps.audit.append(q, {
        actor: r.auditActor,
        action: 'identity.phone_recovered',
        subject: { type: 'person', id: subjectId },
        purpose: 'account-security',
        clause: 'P8.1.correct',
        detail: { ...r.detail, sessionsEnded: true },
        requestId: c.requestId,
      });
      await deps.alerts.record(q, {
        subjectId,
        device: c.device,
        method: 'security-change',
        reasons: ['phone-recovered'],
        locale: c.locale,
      });
      return deps.provider.end(q, { subjectId, revokeGrants: true, reason: 'phone-recovered' });
    })
    .catch((err: unknown) => {
      // Taken by another account since the check: the unique index decides.
      if (err instanceof AppError && err.code === 'vault.duplicate_value')
        throw new AppError(signInErrors.phone_unusable);
      throw err;
    });
  await tell();
  if (old && old !== phone)
    try {
      await deps.sms.send({
        to: old,
        template: 'security-change',
        params: { time: beijingMinute(clock.date()), change: 'phone-recovered' },
        locale: c.locale,
      });
    } catch (err) {
      // The binding stands whether or not the lost phone still takes messages.
      if (!(err instanceof SmsUnavailable)) throw err;
    }
}

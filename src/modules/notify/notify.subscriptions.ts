/**
 * The browsers a person turned push notifications on in (issue 13 §2; ADR 0029).
 *
 * Rules:
 * - One subscription per browser and person: the browser is its device cookie's hash (the
 *   session module's `deviceHash`), so subscribing again in that browser replaces the old
 *   one, and the portal can say whether *this* browser is subscribed.
 * - A subscription is checked before it is kept: an endpoint on a push service Civitas sends
 *   to (adapters/push.ts `accepts`: no arbitrary host is ever called), a P-256 public key
 *   that is a point on the curve, a 16-byte auth secret.
 * - It ends when the person turns it off in that browser, when the session it was made (or
 *   last confirmed) in is ended — signing out, "sign out" from another device, signing out
 *   everywhere, a password reset (`sessionsEnded`, called by the session module through the
 *   wiring) — and when the push service says it is gone (the channel, notify.push.ts).
 * - Turning it on and off is audited (`notify.push_subscribed` / `_unsubscribed`), with the
 *   subscription id only: the endpoint names a browser and never enters the audit chain or
 *   the log.
 */
import { createECDH } from 'node:crypto';
import type { PushService } from '../../adapters/push.ts';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { notifyErrors } from './notify.errors.ts';
import * as repo from './notify.push.repository.ts';

export type { SubscriptionView } from './notify.push.repository.ts';

/** What a browser's PushManager gives (`PushSubscription.toJSON()`). */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Which browser, in which session: from the request (web/http), never from the body. */
export interface BrowserOf {
  subjectId: string;
  deviceHash: Buffer;
  sessionId: string;
  /** Coarse "browser · system" label (session module's deviceLabel). */
  label: string;
}

export interface PushSubscriptions {
  /** The VAPID public key browsers subscribe with. */
  readonly publicKey: string;
  subscribe(browser: BrowserOf, sub: BrowserSubscription, requestId: string): Promise<void>;
  /** Turns push off in this browser; returns whether it was on. */
  unsubscribe(subjectId: string, deviceHash: Buffer, requestId: string): Promise<boolean>;
  ofDevice(subjectId: string, deviceHash: Buffer): Promise<repo.SubscriptionView | undefined>;
  list(subjectId: string): Promise<repo.SubscriptionView[]>;
  /** Sessions were ended (in `q`, the transaction that ended them): their subscriptions go. */
  sessionsEnded(q: Queryable, sessionIds: readonly string[]): Promise<number>;
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function keyOf(text: string, bytes: number): Buffer | undefined {
  if (!B64URL.test(text)) return undefined;
  const b = Buffer.from(text, 'base64url');
  return b.length === bytes ? b : undefined;
}

/** An uncompressed P-256 point that is on the curve (ECDH with it would fail otherwise). */
function isP256Point(key: Buffer): boolean {
  if (key[0] !== 4) return false;
  try {
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

export function createPushSubscriptions(deps: {
  db: Database;
  audit: AuditService;
  push: Pick<PushService, 'publicKey' | 'accepts'>;
}): PushSubscriptions {
  const { db, audit } = deps;
  return {
    publicKey: deps.push.publicKey,

    async subscribe(browser, sub, requestId) {
      if (sub.endpoint.length > 2048) throw new AppError(notifyErrors.push_subscription_invalid);
      if (!deps.push.accepts(sub.endpoint)) throw new AppError(notifyErrors.push_service_refused);
      const p256dh = keyOf(sub.keys.p256dh, 65);
      const auth = keyOf(sub.keys.auth, 16);
      if (!p256dh || !auth || !isP256Point(p256dh))
        throw new AppError(notifyErrors.push_subscription_invalid);
      await db.tx(async (q) => {
        const id = await repo.upsert(q, {
          subjectId: browser.subjectId,
          deviceHash: browser.deviceHash,
          sessionId: browser.sessionId,
          endpoint: sub.endpoint,
          p256dh,
          auth,
          label: browser.label.slice(0, 80) || 'browser',
        });
        await audit.append(q, {
          actor: { type: 'citizen', id: browser.subjectId },
          action: 'notify.push_subscribed',
          subject: { type: 'person', id: browser.subjectId },
          purpose: 'account-security',
          clause: 'P7.2i',
          detail: { subscriptionId: id },
          requestId,
        });
      });
    },

    async unsubscribe(subjectId, deviceHash, requestId) {
      return db.tx(async (q) => {
        const id = await repo.removeDevice(q, subjectId, deviceHash);
        if (!id) return false;
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'notify.push_unsubscribed',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.2i',
          detail: { subscriptionId: id },
          requestId,
        });
        return true;
      });
    },

    ofDevice: (subjectId, deviceHash) => repo.ofDevice(db, subjectId, deviceHash),
    list: (subjectId) => repo.listOf(db, subjectId),
    sessionsEnded: (q, sessionIds) => repo.removeSessions(q, sessionIds),
  };
}

/**
 * Appends to the tamper-evident audit log and writes signed checkpoints.
 *
 * Rules (P7.2: strict access limits and audits):
 * - Every change is audited on the same transaction that makes it: pass that
 *   transaction's `Queryable` to `append`. Append last in the transaction: the lane's row
 *   lock is held until commit.
 * - An entry names who (actor), what (action), on whom (subject), why (purpose or legal
 *   basis, and the policy clause where one applies).
 * - `detail` holds identifiers and codes, never personal data: the log outlives erasure.
 * - Checkpoints sign every lane's head so that a truncated tail is detectable.
 */
import { sign } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';
import { canonicalJson, type Json } from '../../shared/canonical-json.ts';
import { contentHash, type RecordedFields } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import type { SigningKey } from './audit.signing-key.ts';

export type ActorType = 'citizen' | 'staff' | 'department' | 'partner' | 'system' | 'anonymous';

export interface AuditEntryInput {
  actor: { type: ActorType; id?: string | null };
  action: string;
  subject?: { type: string; id: string } | null;
  purpose?: string | null;
  legalBasis?: string | null;
  clause?: string | null;
  detail?: { [key: string]: Json };
  requestId?: string | null;
}

export function checkpointPayload(c: Omit<repo.CheckpointRow, 'id' | 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      createdAt: c.createdAt,
      heads: c.heads,
      keyId: c.keyId,
      prevSig: c.prevSig ? c.prevSig.toString('hex') : null,
    }),
  );
}

export interface AuditService {
  append(q: Queryable, entry: AuditEntryInput): Promise<{ id: number; lane: number; seq: number }>;
  /**
   * A change and its audit entry in one statement, for hot paths where the round trips of
   * BEGIN … COMMIT cost more than the work (see repo.insertEntryWith for the contract:
   * the change returns `audit_subject`, equal to `entry.subject.id`). Returns undefined,
   * appending nothing, when the change touched no row.
   */
  appendWith(
    q: Queryable,
    change: { name: string; text: string; values: unknown[] },
    entry: AuditEntryInput & { subject: { type: string; id: string } },
  ): Promise<{ id: number; lane: number; seq: number } | undefined>;
  /** Writes a checkpoint if any lane moved since the last one; returns its id. */
  checkpoint(): Promise<number | undefined>;
  startCheckpoints(everySeconds: number): () => void;
  recent(limit: number): Promise<repo.RecentEntry[]>;
  status(): Promise<{ entries: number; lastCheckpointAt: string | null }>;
}

export function createAuditService(deps: { db: Database; key: SigningKey; now?: () => Date }): AuditService {
  const now = deps.now ?? (() => new Date());

  const record = (e: AuditEntryInput): RecordedFields => ({
    occurredAt: now().toISOString(),
    actorType: e.actor.type,
    actorId: e.actor.id ?? null,
    action: e.action,
    subjectType: e.subject?.type ?? null,
    subjectId: e.subject?.id ?? null,
    purpose: e.purpose ?? null,
    legalBasis: e.legalBasis ?? null,
    clause: e.clause ?? null,
    detail: e.detail ?? {},
    requestId: e.requestId ?? null,
  });

  return {
    async append(q, e) {
      const fields = record(e);
      return repo.insertEntry(q, fields, contentHash(fields));
    },

    async appendWith(q, change, e) {
      const fields = record(e);
      return repo.insertEntryWith(q, change, fields, contentHash(fields));
    },

    async checkpoint() {
      return deps.db.tx(async (q) => {
        await repo.lockCheckpointWriter(q);
        const heads = (await repo.laneHeads(q))
          .filter((h) => h.seq > 0)
          .map((h) => ({ lane: h.lane, seq: h.seq, hash: h.head.toString('hex') }));
        const last = await repo.lastCheckpoint(q);
        if (heads.length === 0 || (last && canonicalJson(last.heads) === canonicalJson(heads)))
          return undefined;
        const unsigned = {
          createdAt: now().toISOString(),
          heads,
          prevSig: last?.signature ?? null,
          keyId: deps.key.id,
        };
        const signature = sign(null, checkpointPayload(unsigned), deps.key.privateKey);
        return repo.insertCheckpoint(q, { ...unsigned, signature });
      });
    },

    startCheckpoints(everySeconds) {
      const timer = setInterval(() => {
        this.checkpoint().catch(() => undefined); // retried next tick; /readyz shows DB trouble
      }, everySeconds * 1000);
      timer.unref();
      return () => clearInterval(timer);
    },

    recent: (limit) => repo.recentEntries(deps.db, limit),

    async status() {
      const [entries, last] = await Promise.all([repo.entryCount(deps.db), repo.lastCheckpoint(deps.db)]);
      return { entries, lastCheckpointAt: last?.createdAt ?? null };
    },
  };
}

/**
 * Appends to the tamper-evident audit log and writes signed checkpoints.
 *
 * Rules (P7.2: strict access limits and audits):
 * - P7.2 only catalogued actions are appended (`audit.actions.ts`), each by an actor
 *   kind and citing a clause the catalogue lists; anything else is refused with an error.
 * - Every change is audited on the same transaction that makes it: pass that
 *   transaction's `Queryable` to `append`. Append last in the transaction: the lane's row
 *   lock is held until commit.
 * - An entry names who (actor), what (action), on whom (subject), why (purpose or legal
 *   basis, and the policy clause where one applies).
 * - `detail` holds identifiers and codes, never personal data: the log outlives erasure.
 * - Checkpoints sign every lane's head so that a truncated tail is detectable. One is written
 *   at start (a genesis checkpoint on an empty log), every AUDIT_CHECKPOINT_SECONDS when a
 *   lane moved (the `audit.checkpoint` job, once across all processes), and at shutdown: entries newer than the newest checkpoint (the unsigned
 *   window) are at most that many seconds of activity.
 * - Each checkpoint is also exported to a file outside the database (`exportFile`), against
 *   which `civitas audit verify --checkpoint FILE` proves the log did not shrink.
 * - P7.2 `CRYPTO_SUITE=national` (ADR 0043): new entries are chain 3 (SM3 content hash,
 *   HMAC-SM3 link computed here under the lane lock) and new checkpoints are signed with
 *   SM2; each records its chain and algorithm, so older entries and checkpoints verify as
 *   they were made. A checkpoint is written at the first start after the suite changed.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { canonicalJson, type Json } from '../../shared/canonical-json.ts';
import {
  auditActions,
  refusal,
  type ActorType,
  type AuditAction,
  type AuditActionSpec,
} from './audit.actions.ts';
import { contentHash, type RecordedFields } from './audit.chain.ts';
import { signerOf, signPayload } from './audit.signature.ts';
import { writeExportedCheckpoint } from './audit.export.ts';
import * as repo from './audit.repository.ts';
import type { SigningKey } from './audit.signing-key.ts';
import { clock } from '../../kernel/clock.ts';

export type { ActorType } from './audit.actions.ts';

/** `A`: the catalogued action names; tests of the chain itself may bring their own catalogue. */
export interface AuditEntryInput<A extends string = AuditAction> {
  actor: { type: ActorType; id?: string | null };
  action: A;
  subject?: { type: string; id: string } | null;
  purpose?: string | null;
  legalBasis?: string | null;
  clause?: string | null;
  detail?: { [key: string]: Json };
  requestId?: string | null;
}

/** An entry the audit-action catalogue does not allow: a programming error, never a user's. */
export class AuditCatalogueError extends Error {
  override name = 'AuditCatalogueError';
}

export function checkpointPayload(c: Omit<repo.CheckpointRow, 'id' | 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      // Absent from checkpoints signed before the chain was keyed (or before SM2), so their
      // bytes are unchanged.
      ...(c.alg === 'sm2-sm3' ? { alg: c.alg } : {}),
      ...(c.chain !== 1 ? { chain: c.chain } : {}),
      createdAt: c.createdAt,
      heads: c.heads,
      keyId: c.keyId,
      prevSig: c.prevSig ? c.prevSig.toString('hex') : null,
    }),
  );
}

export interface AuditService<A extends string = AuditAction> {
  append(q: Queryable, entry: AuditEntryInput<A>): Promise<{ id: number; lane: number; seq: number }>;
  /**
   * A change and its audit entry in one statement, for hot paths where the round trips of
   * BEGIN … COMMIT cost more than the work (see repo.insertEntryWith for the contract:
   * the change returns `audit_subject`, equal to `entry.subject.id`). Returns undefined,
   * appending nothing, when the change touched no row.
   */
  appendWith(
    q: Queryable,
    change: { name: string; text: string; values: unknown[] },
    entry: AuditEntryInput<A> & { subject: { type: string; id: string } },
  ): Promise<{ id: number; lane: number; seq: number } | undefined>;
  /**
   * Writes a checkpoint if any lane moved since the last one, or if there is none yet (the
   * genesis checkpoint of an empty log); returns its id.
   */
  checkpoint(): Promise<number | undefined>;
  recent(limit: number): Promise<repo.RecentEntry[]>;
  /**
   * P8.1.view a page of the entries about one person with these actions (the activity
   * history), keyset-paged on (time, rank, id) so it merges with other logs.
   */
  aboutPerson(subjectId: string, page: Parameters<typeof repo.personEntries>[2]): Promise<repo.PersonEntry[]>;
  /** One entry about the person with one of these actions, or undefined (another's, or none). */
  entryAbout(
    subjectId: string,
    id: number,
    actions: readonly string[],
  ): Promise<repo.PersonEntry | undefined>;
  status(): Promise<{ entries: number; lastCheckpointAt: string | null }>;
  /**
   * P7.2i the people the entries of a window are about (an incident's scope: what the access
   * log does not hold, such as data others wrote), in batches ascending by id (at most
   * `batch`, default 20,000), each its own short statement.
   */
  subjectsInWindow(
    scope: repo.WindowScope & { actions: readonly A[] },
    opts?: { batch?: number },
  ): AsyncIterable<string[]>;
}

export function createAuditService<A extends string = AuditAction>(deps: {
  db: Database;
  key: SigningKey;
  now?: () => Date;
  /** Where each new checkpoint is exported (outside the database); none if unset. */
  exportFile?: string | undefined;
  /** The catalogue entries are checked against; the platform's own unless a test brings one. */
  actions?: Readonly<Record<A, AuditActionSpec>>;
}): AuditService<A> {
  const now = deps.now ?? (() => clock.date());
  const pads = { ipad: deps.key.chainKey.ipad, opad: deps.key.chainKey.opad };
  const chain: 2 | 3 = deps.key.suite === 'national' ? 3 : 2;
  const link3 = (content: Buffer) => (prev: Buffer, lane: number, seq: number) =>
    deps.key.chainKey3.link(prev, lane, seq, content);
  // Chain 3 takes the lane and appends in two statements: on a pool they need a transaction.
  const inTx = <T>(q: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    'tx' in q && typeof (q as Database).tx === 'function' ? (q as Database).tx(fn) : fn(q);
  const catalogue: Readonly<Record<string, AuditActionSpec>> = deps.actions ?? auditActions;

  const record = (e: AuditEntryInput<A>): RecordedFields => {
    const refused = refusal(catalogue, e);
    if (refused) throw new AuditCatalogueError(refused);
    return recorded(e);
  };
  const recorded = (e: AuditEntryInput<A>): RecordedFields => ({
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
      if (chain === 2) return repo.insertEntry(q, fields, contentHash(fields), pads);
      const content = contentHash(fields, 3);
      return inTx(q, (tx) => repo.insertLinkedEntry(tx, fields, content, link3(content)));
    },

    async appendWith(q, change, e) {
      const fields = record(e);
      if (chain === 2) return repo.insertEntryWith(q, change, fields, contentHash(fields), pads);
      const content = contentHash(fields, 3);
      return inTx(q, (tx) => repo.insertLinkedEntryWith(tx, change, fields, content, link3(content)));
    },

    async checkpoint() {
      const written = await deps.db.tx(async (q) => {
        await repo.lockCheckpointWriter(q);
        const heads = (await repo.laneHeads(q))
          .filter((h) => h.seq > 0)
          .map((h) => ({ lane: h.lane, seq: h.seq, hash: h.head.toString('hex') }));
        const last = await repo.lastCheckpoint(q);
        const signer = signerOf(deps.key);
        if (
          last &&
          last.chain === chain &&
          last.alg === signer.alg &&
          canonicalJson(last.heads) === canonicalJson(heads)
        )
          return undefined;
        const unsigned = {
          createdAt: now().toISOString(),
          heads,
          prevSig: last?.signature ?? null,
          keyId: signer.keyId,
          chain,
          alg: signer.alg,
        };
        const { signature } = signPayload(deps.key, checkpointPayload(unsigned));
        const id = await repo.insertCheckpoint(q, { ...unsigned, signature });
        return { ...unsigned, signature, id };
      });
      if (!written) return undefined;
      // After commit: an exported checkpoint must exist in the database.
      if (deps.exportFile) writeExportedCheckpoint(deps.exportFile, written);
      return written.id;
    },

    recent: (limit) => repo.recentEntries(deps.db, limit),
    aboutPerson: (subjectId, page) => repo.personEntries(deps.db, subjectId, page),
    entryAbout: (subjectId, id, actions) =>
      Number.isSafeInteger(id) && id > 0
        ? repo.personEntry(deps.db, subjectId, id, actions)
        : Promise.resolve(undefined),
    async *subjectsInWindow(scope, opts = {}) {
      const size = opts.batch ?? 20_000;
      let after: string | null = null;
      for (;;) {
        const ids = await repo.subjectsInWindow(deps.db, scope, after, size);
        if (ids.length > 0) yield ids;
        if (ids.length < size) return;
        after = ids[ids.length - 1]!;
      }
    },

    async status() {
      const [entries, last] = await Promise.all([repo.entryCount(deps.db), repo.lastCheckpoint(deps.db)]);
      return { entries, lastCheckpointAt: last?.createdAt ?? null };
    },
  };
}

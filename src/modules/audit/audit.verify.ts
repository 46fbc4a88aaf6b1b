/**
 * Walks the whole audit log and reports the first thing wrong with it.
 *
 * What it catches:
 * - an altered entry: its recorded fields no longer hash to its content hash, or its
 *   chain hash no longer follows from the previous one;
 * - a deleted entry: a gap in a lane's sequence;
 * - a truncated tail: a signed checkpoint vouches for a lane position that is gone, or
 *   the lane's head no longer matches its last entry;
 * - a forged or removed checkpoint: bad signature, unknown key, broken checkpoint chain;
 * - an entry deleted or altered after the newest checkpoint and re-chained: the chain is
 *   keyed (HMAC with a key outside the database), and an unkeyed link after a keyed one
 *   is refused;
 * - a wiped log: no signed checkpoint at all (every start writes one), so an empty log
 *   never verifies;
 * - a shrunk log, given outside evidence: fewer entries than `expectAtLeast`, or an
 *   exported checkpoint (`checkpoint`) that the database no longer holds or reaches.
 *
 * What it cannot catch without that evidence: the entries after the newest checkpoint (at
 * most AUDIT_CHECKPOINT_SECONDS of activity) cut off together with their lane heads. The
 * result's `unsigned` says how many entries are in that window now.
 *
 * It reads in one REPEATABLE READ snapshot so concurrent appends cannot confuse it.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GENESIS } from './audit.chain.ts';
import type { LaneResult, LaneStart, Vouched } from './audit.lane-walk.ts';
import { allArchives } from './audit.archive.repository.ts';
import { archiveSignatureValid } from './audit.archive.ts';
import * as repo from './audit.repository.ts';
import { checkpointPayload } from './audit.service.ts';
import type { SigningKey } from './audit.signing-key.ts';
import { payloadVerifies, type SignatureKeys } from './audit.signature.ts';
import type { ExportedCheckpoint } from './audit.export.ts';

export interface VerifyProblem {
  kind: 'altered' | 'missing' | 'truncated' | 'checkpoint' | 'empty' | 'shrunk';
  entryId?: number;
  lane?: number;
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** Entries newer than the newest checkpoint: signed by nothing yet. */
  unsigned: number;
  /** The time of the oldest and newest entry verified (ISO), when there are any. */
  from?: string;
  to?: string;
  /**
   * Months dropped past their retention: verification starts after them, from the newest
   * signed archive record (its id, the end of the last month it covers, entries dropped).
   */
  archived?: { records: number; newest: number; before: string; entries: number };
  problem?: VerifyProblem;
}

export interface VerifyOptions {
  /** The operator's own count (monitoring, a previous run): fewer entries is a shrunk log. */
  expectAtLeast?: number | undefined;
  /** A checkpoint exported earlier (e.g. copied off the host): the log must still hold and reach it. */
  checkpoint?: ExportedCheckpoint | undefined;
}

type VerifyKey = SignatureKeys & Pick<SigningKey, 'chainKey' | 'chainKey3'>;
/** A checkpoint's signature verifies with the key and algorithm it records (ADR 0043). */
const signedByKey = (key: VerifyKey, c: repo.CheckpointRow) =>
  payloadVerifies(key, { keyId: c.keyId, alg: c.alg, signature: c.signature }, checkpointPayload(c));

/** Lanes split over this many threads: hashing, not the database, bounds verification. */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

function walkInWorkers(
  url: string,
  snapshot: string,
  lanes: number[],
  vouched: Vouched,
  key: VerifyKey,
  keyedAfter: [number, number][] | null,
  starts: Map<number, LaneStart>,
): Promise<LaneResult[]> {
  const shares = Array.from({ length: Math.min(WORKERS, lanes.length) }, (_, i) =>
    lanes.filter((_l, j) => j % WORKERS === i),
  );
  const walks = Promise.all(
    shares.map(
      (share) =>
        new Promise<LaneResult[]>((resolve, reject) => {
          const worker = new Worker(new URL('./audit.verify.worker.boot.mjs', import.meta.url), {
            workerData: {
              url,
              snapshot,
              lanes: share,
              vouched: vouched.filter(([l]) => share.includes(l)),
              ipad: key.chainKey.ipad,
              opad: key.chainKey.opad,
              ipad3: key.chainKey3.ipad,
              opad3: key.chainKey3.opad,
              keyedAfter,
              starts: [...starts].filter(([l]) => share.includes(l)),
            },
          });
          worker.once('message', (m: { results?: LaneResult[]; error?: string }) => {
            void worker.terminate();
            if (m.results) resolve(m.results);
            else reject(new Error(`audit verification worker failed: ${m.error}`));
          });
          worker.once('error', reject);
        }),
    ),
  );
  return walks.then((r) => r.flat());
}

export async function verifyAuditChain(
  db: Database,
  key: VerifyKey,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const result = await walk(client, key, db.url, rows[0]!.id, options);
    await client.query('COMMIT');
    return result;
  } finally {
    client.release();
  }
}

function checkpointFromExport(e: ExportedCheckpoint): repo.CheckpointRow {
  return {
    id: e.id,
    createdAt: e.createdAt,
    heads: e.heads,
    prevSig: e.prevSig === null ? null : Buffer.from(e.prevSig, 'hex'),
    keyId: e.keyId,
    signature: Buffer.from(e.signature, 'hex'),
    chain: e.chain,
    alg: e.alg ?? 'ed25519',
  };
}

async function walk(
  q: Queryable,
  key: VerifyKey,
  url: string,
  snapshot: string,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const checkpoints = await repo.allCheckpoints(q);
  let entries = 0;
  let unsigned = 0;
  const fail = (problem: VerifyProblem): VerifyResult => ({
    ok: false,
    entries,
    checkpoints: checkpoints.length,
    unsigned,
    problem,
  });

  // 0. Outside evidence first: an exported checkpoint must be genuine and still be here.
  const exported = options.checkpoint ? checkpointFromExport(options.checkpoint) : undefined;
  if (exported) {
    if (!signedByKey(key, exported))
      return fail({
        kind: 'checkpoint',
        message: `the exported checkpoint ${exported.id} is not signed by this key`,
      });
    if (!checkpoints.some((c) => c.signature.equals(exported.signature)))
      return fail({
        kind: 'shrunk',
        message: `the exported checkpoint ${exported.id} (${exported.createdAt}) is not in the database: checkpoints were removed and the log cut back`,
      });
  }
  if (checkpoints.length === 0)
    return fail({
      kind: 'empty',
      message:
        'no signed checkpoint: every start of Civitas writes one, so the log was wiped (or Civitas never started on this database)',
    });

  // 1. The checkpoints: each signed by our key, each pointing at its predecessor.
  let prevSig: Buffer | null = null;
  const vouched = new Map<number, Map<number, { hash: string; checkpoint: number }>>();
  for (const c of checkpoints) {
    if (c.keyId !== key.id && c.keyId !== key.sm2.id)
      return fail({ kind: 'checkpoint', message: `checkpoint ${c.id} is signed by unknown key ${c.keyId}` });
    if (!signedByKey(key, c)) {
      return fail({ kind: 'checkpoint', message: `checkpoint ${c.id} has an invalid signature` });
    }
    if ((c.prevSig === null) !== (prevSig === null) || (c.prevSig && prevSig && !c.prevSig.equals(prevSig))) {
      return fail({
        kind: 'checkpoint',
        message: `checkpoint ${c.id} does not follow the previous checkpoint (one was removed)`,
      });
    }
    prevSig = c.signature;
    for (const h of c.heads) {
      let lane = vouched.get(h.lane);
      if (!lane) vouched.set(h.lane, (lane = new Map()));
      lane.set(h.seq, { hash: h.hash, checkpoint: c.id });
    }
  }

  // 1b. Archive records of dropped months: each signed by our key, each chained to the one
  //     before. The newest says where each lane starts; a month dropped without one leaves
  //     a gap the walk reports as missing entries.
  const archives = await allArchives(q);
  let prevArchive: Buffer | null = null;
  for (const a of archives) {
    if (!archiveSignatureValid(a, key))
      return fail({
        kind: 'checkpoint',
        message: `archive record ${a.id} (${a.partition}) has an invalid signature`,
      });
    if (
      (a.prevSig === null) !== (prevArchive === null) ||
      (a.prevSig && prevArchive && !a.prevSig.equals(prevArchive))
    )
      return fail({
        kind: 'checkpoint',
        message: `archive record ${a.id} (${a.partition}) does not follow the previous archive record (one was removed)`,
      });
    prevArchive = a.signature;
  }
  const newestArchive = archives.at(-1);
  const starts = new Map<number, LaneStart>((newestArchive?.boundary ?? []).map((b) => [b.lane, b]));

  // From the first checkpoint that declared the chain keyed, every later entry must be keyed.
  const firstKeyed = checkpoints.find((c) => c.chain !== 1);
  const keyedAfter = firstKeyed ? firstKeyed.heads.map((h): [number, number] => [h.lane, h.seq]) : null;

  // 2. The lanes, each its own chain, walked in parallel by worker threads that share this
  //    transaction's snapshot. The first problem in id order across lanes is reported.
  const heads = await repo.laneHeads(q);
  const results = await walkInWorkers(
    url,
    snapshot,
    heads.map((h) => h.lane),
    [...vouched].map(([lane, seqs]) => [lane, [...seqs].map(([seq, v]) => [seq, v.hash, v.checkpoint])]),
    key,
    keyedAfter,
    starts,
  );
  entries = results.reduce((n, r) => n + r.entries, 0);
  const newest = checkpoints[checkpoints.length - 1]!;
  const signedSeq = new Map(newest.heads.map((h) => [h.lane, h.seq]));
  unsigned = results.reduce((n, r) => n + Math.max(0, r.seq - (signedSeq.get(r.lane) ?? 0)), 0);
  const problems = results
    .flatMap((r) => (r.problem ? [r.problem] : []))
    .sort((a, b) => a.entryId - b.entryId);
  if (problems[0]) return fail(problems[0]);
  const state = new Map(results.map((r) => [r.lane, r]));

  // 3. Nothing vouched for is gone, and each lane head matches its last entry.
  for (const [lane, seqs] of vouched) {
    const reached = state.get(lane)?.seq ?? 0;
    for (const [seq, { checkpoint }] of seqs) {
      if (seq > reached) {
        return fail({
          kind: 'truncated',
          lane,
          seq: reached + 1,
          message: `lane ${lane} ends at seq ${reached} but checkpoint ${checkpoint} signed seq ${seq}: entries ${reached + 1}..${seq} were removed`,
        });
      }
    }
  }
  for (const h of heads) {
    const start = starts.get(h.lane);
    const s = state.get(h.lane) ?? { seq: start?.seq ?? 0, head: start?.hash ?? GENESIS.toString('hex') };
    if (h.seq !== s.seq || h.head.toString('hex') !== s.head) {
      return fail({
        kind: 'truncated',
        lane: h.lane,
        seq: s.seq + 1,
        message: `lane ${h.lane} head is at seq ${h.seq} but its last entry is seq ${s.seq}: the tail was removed`,
      });
    }
  }
  if (options.expectAtLeast !== undefined && entries < options.expectAtLeast)
    return fail({
      kind: 'shrunk',
      message: `the log holds ${entries} entries, fewer than the ${options.expectAtLeast} expected: entries were cut off`,
    });
  const times = results.flatMap((r) => (r.firstAt && r.lastAt ? [r.firstAt, r.lastAt] : [])).sort();
  return {
    ok: true,
    entries,
    checkpoints: checkpoints.length,
    unsigned,
    ...(times.length > 0 ? { from: times[0], to: times.at(-1) } : {}),
    ...(newestArchive
      ? {
          archived: {
            records: archives.length,
            newest: newestArchive.id,
            before: newestArchive.rangeTo,
            entries: archives.reduce((n, a) => n + a.entries, 0),
          },
        }
      : {}),
  };
}

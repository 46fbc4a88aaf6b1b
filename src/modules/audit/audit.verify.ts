/**
 * Walks the whole audit log and reports the first thing wrong with it.
 *
 * What it catches:
 * - an altered entry: its recorded fields no longer hash to its content hash, or its
 *   chain hash no longer follows from the previous one;
 * - a deleted entry: a gap in a lane's sequence;
 * - a truncated tail: a signed checkpoint vouches for a lane position that is gone, or
 *   the lane's head no longer matches its last entry;
 * - a forged or removed checkpoint: bad signature, unknown key, broken checkpoint chain.
 *
 * It reads in one REPEATABLE READ snapshot so concurrent appends cannot confuse it.
 */
import { verify as verifySignature } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GENESIS } from './audit.chain.ts';
import type { LaneResult, Vouched } from './audit.lane-walk.ts';
import * as repo from './audit.repository.ts';
import { checkpointPayload } from './audit.service.ts';
import type { SigningKey } from './audit.signing-key.ts';

export interface VerifyProblem {
  kind: 'altered' | 'missing' | 'truncated' | 'checkpoint';
  entryId?: number;
  lane?: number;
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  checkpoints: number;
  problem?: VerifyProblem;
}

/** Lanes split over this many threads: hashing, not the database, bounds verification. */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

function walkInWorkers(
  url: string,
  snapshot: string,
  lanes: number[],
  vouched: Vouched,
): Promise<LaneResult[]> {
  const shares = Array.from({ length: Math.min(WORKERS, lanes.length) }, (_, i) =>
    lanes.filter((_l, j) => j % WORKERS === i),
  );
  const walks = Promise.all(
    shares.map(
      (share) =>
        new Promise<LaneResult[]>((resolve, reject) => {
          const worker = new Worker(new URL('./audit.verify.worker.boot.mjs', import.meta.url), {
            workerData: { url, snapshot, lanes: share, vouched: vouched.filter(([l]) => share.includes(l)) },
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
  key: Pick<SigningKey, 'id' | 'publicKey'>,
): Promise<VerifyResult> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const result = await walk(client, key, db.url, rows[0]!.id);
    await client.query('COMMIT');
    return result;
  } finally {
    client.release();
  }
}

async function walk(
  q: Queryable,
  key: Pick<SigningKey, 'id' | 'publicKey'>,
  url: string,
  snapshot: string,
): Promise<VerifyResult> {
  const checkpoints = await repo.allCheckpoints(q);
  let entries = 0;
  const fail = (problem: VerifyProblem): VerifyResult => ({
    ok: false,
    entries,
    checkpoints: checkpoints.length,
    problem,
  });

  // 1. The checkpoints: each signed by our key, each pointing at its predecessor.
  let prevSig: Buffer | null = null;
  const vouched = new Map<number, Map<number, { hash: string; checkpoint: number }>>();
  for (const c of checkpoints) {
    if (c.keyId !== key.id)
      return fail({ kind: 'checkpoint', message: `checkpoint ${c.id} is signed by unknown key ${c.keyId}` });
    if (!verifySignature(null, checkpointPayload(c), key.publicKey, c.signature)) {
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

  // 2. The lanes, each its own chain, walked in parallel by worker threads that share this
  //    transaction's snapshot. The first problem in id order across lanes is reported.
  const heads = await repo.laneHeads(q);
  const results = await walkInWorkers(
    url,
    snapshot,
    heads.map((h) => h.lane),
    [...vouched].map(([lane, seqs]) => [lane, [...seqs].map(([seq, v]) => [seq, v.hash, v.checkpoint])]),
  );
  entries = results.reduce((n, r) => n + r.entries, 0);
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
    const s = state.get(h.lane) ?? { seq: 0, head: GENESIS.toString('hex') };
    if (h.seq !== s.seq || h.head.toString('hex') !== s.head) {
      return fail({
        kind: 'truncated',
        lane: h.lane,
        seq: s.seq + 1,
        message: `lane ${h.lane} head is at seq ${h.seq} but its last entry is seq ${s.seq}: the tail was removed`,
      });
    }
  }
  return { ok: true, entries, checkpoints: checkpoints.length };
}

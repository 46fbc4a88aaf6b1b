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
import { chainHash, contentHash, GENESIS } from './audit.chain.ts';
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

const PAGE = 20_000;

export async function verifyAuditChain(
  db: Database,
  key: Pick<SigningKey, 'id' | 'publicKey'>,
): Promise<VerifyResult> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await walk(client, key);
    await client.query('COMMIT');
    return result;
  } finally {
    client.release();
  }
}

async function walk(q: Queryable, key: Pick<SigningKey, 'id' | 'publicKey'>): Promise<VerifyResult> {
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

  // 2. The entries, in id order; each lane is its own chain.
  const state = new Map<number, { seq: number; head: Buffer }>();
  // Ask for the next page before hashing this one. A request left in flight by an early
  // return just completes before COMMIT; the catch keeps it from being unhandled.
  const fetchPage = (after: number) => {
    const p = repo.entriesAfter(q, after, PAGE);
    p.catch(() => undefined);
    return p;
  };
  let next = fetchPage(0);
  for (;;) {
    const page = await next;
    const last = page[page.length - 1];
    if (page.length === PAGE && last) next = fetchPage(last.id);
    for (const e of page) {
      const s = state.get(e.lane) ?? { seq: 0, head: GENESIS };
      if (e.seq !== s.seq + 1) {
        return fail({
          kind: 'missing',
          lane: e.lane,
          seq: s.seq + 1,
          entryId: e.id,
          message: `lane ${e.lane}: entry seq ${s.seq + 1} is missing (next present is seq ${e.seq}, id ${e.id})`,
        });
      }
      const content = contentHash(e);
      if (!content.equals(e.contentHash) || !chainHash(s.head, e.lane, e.seq, content).equals(e.hash)) {
        return fail({
          kind: 'altered',
          lane: e.lane,
          seq: e.seq,
          entryId: e.id,
          message: `entry ${e.id} (lane ${e.lane} seq ${e.seq}) was altered: its hash does not match its content`,
        });
      }
      const promised = vouched.get(e.lane)?.get(e.seq);
      if (promised && promised.hash !== e.hash.toString('hex')) {
        return fail({
          kind: 'altered',
          lane: e.lane,
          seq: e.seq,
          entryId: e.id,
          message: `entry ${e.id} (lane ${e.lane} seq ${e.seq}) differs from what checkpoint ${promised.checkpoint} signed`,
        });
      }
      state.set(e.lane, { seq: e.seq, head: e.hash });
      entries++;
    }
    if (page.length < PAGE) break;
  }

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
  for (const h of await repo.laneHeads(q)) {
    const s = state.get(h.lane) ?? { seq: 0, head: GENESIS };
    if (h.seq !== s.seq || !h.head.equals(s.head)) {
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

/**
 * Walks some lanes of the audit chain in (lane, seq) order and reports, per lane, how far
 * it got and the first thing wrong. Runs in a worker thread (audit.verify.worker.ts) so
 * that verification hashes on every core; audit.verify.ts combines the results.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import { chainHash, contentHash, GENESIS, type ChainKey } from './audit.chain.ts';
import * as repo from './audit.repository.ts';

export interface LaneProblem {
  kind: 'altered' | 'missing';
  entryId: number;
  lane: number;
  seq: number;
  message: string;
}

export interface LaneResult {
  lane: number;
  seq: number;
  head: string;
  entries: number;
  /** The first and last entry's time (ISO), when the lane holds any. */
  firstAt?: string;
  lastAt?: string;
  problem?: LaneProblem;
}

/** Where a lane's walk starts: the genesis hash, or the last entry of the dropped months. */
export interface LaneStart {
  seq: number;
  hash: string;
  chain: number;
}

export type Vouched = [lane: number, seqs: [seq: number, hash: string, checkpoint: number][]][];

const PAGE = 20_000;

/**
 * `keyedAfter`: the lane's seq in the first checkpoint that declared the chain keyed
 * (undefined when none did); every later entry must be keyed. Within a lane, an unkeyed
 * entry never follows a keyed one: the old sha256 link cannot be used to re-chain. Keyed
 * entries are linked by their own chain's key (2 HMAC-SHA256, 3 HMAC-SM3), in any mix.
 */
export async function walkLane(
  q: Queryable,
  lane: number,
  vouched: Map<number, [string, number]>,
  key: { 2: ChainKey; 3: ChainKey },
  keyedAfter: number | undefined,
  start?: LaneStart,
): Promise<LaneResult> {
  let seq = start?.seq ?? 0;
  let keyed = start ? start.chain >= 2 : false;
  let head: Buffer = start ? Buffer.from(start.hash, 'hex') : GENESIS;
  let entries = 0;
  let firstAt: string | undefined;
  let lastAt: string | undefined;
  const result = (problem?: LaneProblem): LaneResult => ({
    lane,
    seq,
    head: head.toString('hex'),
    entries,
    ...(firstAt ? { firstAt, lastAt } : {}),
    ...(problem ? { problem } : {}),
  });
  // Ask for the next page before hashing this one; the catch keeps an abandoned request quiet.
  const fetchPage = (after: number) => {
    const p = repo.lanePage(q, lane, after, PAGE);
    p.catch(() => undefined);
    return p;
  };
  let next = fetchPage(seq);
  for (;;) {
    const page = await next;
    const last = page[page.length - 1];
    if (page.length === PAGE && last) next = fetchPage(last.seq);
    for (const e of page) {
      if (e.seq !== seq + 1) {
        return result({
          kind: 'missing',
          lane,
          seq: seq + 1,
          entryId: e.id,
          message: `lane ${lane}: entry seq ${seq + 1} is missing (next present is seq ${e.seq}, id ${e.id})`,
        });
      }
      if (e.chain === 1 && (keyed || (keyedAfter !== undefined && e.seq > keyedAfter))) {
        return result({
          kind: 'altered',
          lane,
          seq: e.seq,
          entryId: e.id,
          message: `entry ${e.id} (lane ${lane} seq ${e.seq}) is linked without the chain key after the chain became keyed: it was re-chained`,
        });
      }
      keyed = e.chain !== 1;
      const content = contentHash(e, e.chain);
      const linked =
        e.chain === 1 ? chainHash(head, lane, e.seq, content) : key[e.chain].link(head, lane, e.seq, content);
      const hex = linked.toString('hex');
      if (content.toString('hex') !== e.contentHash || hex !== e.hash) {
        return result({
          kind: 'altered',
          lane,
          seq: e.seq,
          entryId: e.id,
          message: `entry ${e.id} (lane ${lane} seq ${e.seq}) was altered: its hash does not match its content`,
        });
      }
      const promised = vouched.get(e.seq);
      if (promised && promised[0] !== hex) {
        return result({
          kind: 'altered',
          lane,
          seq: e.seq,
          entryId: e.id,
          message: `entry ${e.id} (lane ${lane} seq ${e.seq}) differs from what checkpoint ${promised[1]} signed`,
        });
      }
      seq = e.seq;
      head = linked;
      entries++;
      firstAt ??= e.occurredAt;
      lastAt = e.occurredAt;
    }
    if (page.length < PAGE) return result();
  }
}

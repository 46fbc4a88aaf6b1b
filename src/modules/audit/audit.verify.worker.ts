/**
 * Worker thread: imports the verifier's snapshot, walks its share of the lanes, posts the
 * per-lane results. Started through audit.verify.worker.boot.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
// For its int8 type parser: seq and id must arrive as numbers here too.
import '../../kernel/db/database.ts';
import { chainKeyFromPads } from './audit.chain.ts';
import { walkLane, type LaneResult, type LaneStart, type Vouched } from './audit.lane-walk.ts';

interface Job {
  url: string;
  snapshot: string;
  lanes: number[];
  vouched: Vouched;
  /** The chain key's pads (this thread's copy; threads share no objects). */
  ipad: Uint8Array;
  opad: Uint8Array;
  /** Chain 3's (HMAC-SM3). */
  ipad3: Uint8Array;
  opad3: Uint8Array;
  keyedAfter: [lane: number, seq: number][] | null;
  /** Lanes that start after dropped months (the newest archive record's boundary). */
  starts: [lane: number, start: LaneStart][];
}

async function run(job: Job): Promise<LaneResult[]> {
  const client = new pg.Client({ connectionString: job.url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${job.snapshot.replace(/'/g, '')}'`);
    const vouched = new Map(
      job.vouched.map(([lane, seqs]) => [
        lane,
        new Map(seqs.map(([s, h, c]) => [s, [h, c] as [string, number]])),
      ]),
    );
    const key = {
      2: chainKeyFromPads(Buffer.from(job.ipad), Buffer.from(job.opad)),
      3: chainKeyFromPads(Buffer.from(job.ipad3), Buffer.from(job.opad3), 3),
    };
    const keyedAfter = job.keyedAfter ? new Map(job.keyedAfter) : undefined;
    const starts = new Map(job.starts);
    const results: LaneResult[] = [];
    for (const lane of job.lanes)
      results.push(
        await walkLane(
          client,
          lane,
          vouched.get(lane) ?? new Map(),
          key,
          keyedAfter ? (keyedAfter.get(lane) ?? 0) : undefined,
          starts.get(lane),
        ),
      );
    await client.query('COMMIT');
    return results;
  } finally {
    await client.end();
  }
}

run(workerData as Job).then(
  (results) => parentPort!.postMessage({ results }),
  (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }),
);

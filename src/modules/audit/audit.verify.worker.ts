/**
 * Worker thread: imports the verifier's snapshot, walks its share of the lanes, posts the
 * per-lane results. Started through audit.verify.worker.boot.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
// For its int8 type parser: seq and id must arrive as numbers here too.
import '../../db/database.ts';
import { walkLane, type LaneResult, type Vouched } from './audit.lane-walk.ts';

interface Job {
  url: string;
  snapshot: string;
  lanes: number[];
  vouched: Vouched;
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
    const results: LaneResult[] = [];
    for (const lane of job.lanes) results.push(await walkLane(client, lane, vouched.get(lane) ?? new Map()));
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

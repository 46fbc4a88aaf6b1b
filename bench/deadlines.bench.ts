/**
 * Rights-request deadlines (P8.2, P8.5.cancel): due dates computed over the Chinese
 * working-day calendar (src/shared/working-days.ts), spread over two years of start times
 * so holidays and make-up days are crossed, half in working days (15) and half in calendar
 * days (30). Time-bounded loop: BENCH_MEASURE_MS (default 3000).
 */
import { performance } from 'node:perf_hooks';
import { createWorkingDays } from '../src/shared/working-days.ts';
import { context, report } from './lib.ts';

const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 3000);

export default async function deadlines(): Promise<void> {
  const built = performance.now();
  const cal = createWorkingDays();
  context(
    `calendar flattened in ${(performance.now() - built).toFixed(1)} ms, published through ${cal.publishedThrough}`,
  );
  const base = Date.parse('2025-01-01T00:00:00+08:00');
  const starts = Array.from(
    { length: 4096 },
    (_, i) => new Date(base + ((i * 7_919_993) % 63_072_000) * 1000),
  );
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MEASURE_MS) {
    for (let i = 0; i < 10_000; i++, n++) {
      const d = cal.dueDate(
        starts[n & 4095]!,
        n & 1 ? { days: 15, unit: 'working' } : { days: 30, unit: 'calendar' },
      );
      sink = (sink + d.due.getTime() / 86_400_000) % 1_000_003;
    }
  }
  const rate = n / ((performance.now() - t0) / 1000);
  context(`${n} due dates (checksum ${sink})`);
  report('deadlines', rate, 'due dates/s', '>=', 100_000);
}

/** What the shared attempt limiter holds (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData } from '../kernel/subject-data.ts';

export const limitsData = declareSubjectData(
  import.meta.url,
  {
    rate_limit: {
      what: 'Attempt counters per limit and key; keys are keyed hashes of source addresses and phone tokens',
      // `expire` is epoch milliseconds; housekeeping deletes what is past it (limits.ts).
      retention: { days: 0, after: 'expired', at: 'expire' },
      erase: { lapse: true },
      export: { none: 'transient' },
      columns: {
        key: { category: 'account_security', subject: 'person', holds: 'keyed-hash' },
        points: { category: 'account_security' },
        expire: { category: 'account_security' },
      },
    },
  },
  { only: 'limits.ts' },
);

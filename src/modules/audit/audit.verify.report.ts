/**
 * What `civitas audit verify` prints for a verification result, and its exit code: one
 * function, so the CLI and the tests that check its wording read the same text.
 */
import type { VerifyResult } from './audit.verify.ts';

export interface VerifyReport {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1;
}

export function verifyReport(
  r: VerifyResult,
  opts: { seconds: number; json?: boolean | undefined; evidence: boolean },
): VerifyReport {
  let stdout = '';
  if (opts.json) stdout = `${JSON.stringify({ ...r, seconds: opts.seconds })}\n`;
  else if (r.ok)
    stdout =
      `audit chain intact: ${r.entries} entries, ${r.checkpoints} signed checkpoints (${opts.seconds.toFixed(2)} s)\n` +
      (r.from && r.to
        ? `  verified range: entries from ${r.from} to ${r.to}\n`
        : '  verified range: no entries\n') +
      (r.archived
        ? `  ${r.archived.entries} older entries (months before ${r.archived.before}) were dropped past their retention;\n` +
          `  each lane was verified from signed archive record ${r.archived.newest} (${r.archived.records} archive records, all signed).\n`
        : '  from the first entry (nothing archived).\n') +
      (r.unsigned > 0
        ? `  ${r.unsigned} entries are newer than the newest checkpoint and not signed yet.\n`
        : '') +
      (opts.evidence
        ? '  The log holds everything the given evidence says it must.'
        : '  Entries after the newest checkpoint could have been cut off with their lane heads;\n' +
          '  prove they were not with --checkpoint FILE (an exported checkpoint) or --expect-at-least N.') +
      '\n';
  const stderr = !r.ok && !opts.json ? `audit chain BROKEN: ${r.problem?.message}\n` : '';
  return { stdout, stderr, exitCode: r.ok ? 0 : 1 };
}

/**
 * The erasure ledger: every closed account, kept outside the database's own backups, so a
 * restore can erase again the people closed after the backup it restores.
 *
 * Rules (P7.2.backup: a restore never brings back erased people):
 * - One append-only file per destination (`erasure-ledger.jsonl`), one line per closure:
 *   its id, the pseudonymous subject id (the vault's UUID, no personal data) and when it
 *   closed.
 * - Lines are chained (each holds the SHA-256 of the one before) and each is signed with
 *   the audit signing key (Ed25519, or SM2 under the national suite: such a line names its
 *   algorithm and key, inside what its hash covers; ADR 0043): a line changed, removed or
 *   inserted stops the chain, and a restore refuses a ledger that does not verify rather
 *   than skip an erasure.
 * - Copied from the closures the database holds (`closure.closedSince`) after each closing
 *   run and before each backup, so the ledger always covers every backup.
 */
import { createHash } from 'node:crypto';
import {
  payloadVerifies,
  signerOf,
  signPayload,
  type SignatureAlg,
  type SignatureKeys,
  type SigningKeys,
} from '../audit/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import type { Destination } from './backup.destination.ts';
import { backupErrors } from './backup.errors.ts';

export const LEDGER = 'erasure-ledger.jsonl';

export interface Erasure {
  closureId: string;
  subjectId: string;
  closedAt: Date;
}

interface Line {
  seq: number;
  closure: string;
  subject: string;
  closedAt: string;
  prev: string;
  /** Absent: Ed25519 with the audit key (every line before the national suite). */
  alg?: SignatureAlg;
  key?: string;
  sig: string;
}

const GENESIS = '0'.repeat(64);
const hashOf = (l: Omit<Line, 'sig'>) => createHash('sha256').update(canonicalJson(l)).digest('hex');

interface Verified {
  entries: Erasure[];
  head: string;
  seq: number;
}

export function readLedger(text: string | undefined, key: SignatureKeys, where: string): Verified {
  const entries: Erasure[] = [];
  let head = GENESIS;
  let seq = 0;
  for (const [n, raw] of (text ?? '').split('\n').entries()) {
    if (raw.trim() === '') continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      throw new AppError(backupErrors.ledger_broken, `${where}: line ${n + 1} is not JSON (P7.2.backup)`);
    }
    const { sig, ...unsigned } = line;
    const h = hashOf(unsigned);
    const signed = {
      alg: line.alg ?? ('ed25519' as const),
      keyId: line.key ?? key.id,
      signature: Buffer.from(sig ?? '', 'base64'),
    };
    if (line.seq !== seq + 1 || line.prev !== head || !payloadVerifies(key, signed, Buffer.from(h)))
      throw new AppError(
        backupErrors.ledger_broken,
        `${where}: line ${n + 1} breaks the chain or its signature (P7.2.backup)`,
      );
    head = h;
    seq = line.seq;
    entries.push({ closureId: line.closure, subjectId: line.subject, closedAt: new Date(line.closedAt) });
  }
  return { entries, head, seq };
}

/**
 * Appends to the destination's ledger the erasures it does not hold yet; returns how many.
 * `source(after)` gives closures from `after` on (inclusive), oldest first.
 */
export async function syncLedger(
  d: Destination,
  key: SigningKeys & SignatureKeys,
  source: (after: Date | undefined) => Promise<Erasure[]>,
): Promise<number> {
  const ledger = readLedger(await d.readText(LEDGER), key, `${d.name} ${d.describe}`);
  const last = ledger.entries[ledger.entries.length - 1];
  const known = new Set(
    ledger.entries
      .filter((e) => last && e.closedAt.getTime() === last.closedAt.getTime())
      .map((e) => e.closureId),
  );
  const fresh = (await source(last?.closedAt)).filter((e) => !known.has(e.closureId));
  if (fresh.length === 0) return 0;
  let { head, seq } = ledger;
  const lines: string[] = [];
  const who = signerOf(key);
  for (const e of fresh) {
    seq += 1;
    const unsigned = {
      seq,
      closure: e.closureId,
      subject: e.subjectId,
      closedAt: e.closedAt.toISOString(),
      prev: head,
      ...(who.alg === 'ed25519' ? {} : { alg: who.alg, key: who.keyId }),
    };
    head = hashOf(unsigned);
    const { signature } = signPayload(key, Buffer.from(head));
    lines.push(JSON.stringify({ ...unsigned, sig: signature.toString('base64') }));
  }
  await d.append(LEDGER, `${lines.join('\n')}\n`);
  return fresh.length;
}

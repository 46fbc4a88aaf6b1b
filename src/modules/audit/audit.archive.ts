/**
 * Dropping old months of the audit chain without losing its verifiability (P7.2.audit,
 * P6.2.purge; ADR 0044).
 *
 * A month goes only when the whole chain verifies and every lane's entries up to the
 * month's last one lie in that month. Its archive record, signed with the checkpoint key and
 * chained to the record before, states per lane the last entry dropped (seq, chain hash,
 * chain version): verification then starts each lane there, as it starts at the genesis
 * hash on a new log. The boundary hash commits to every dropped entry, so a copy of the
 * month kept elsewhere (an older backup) can still be proven genuine.
 *
 * Months go oldest first and stop at the first that must stay: a month holding entries by
 * or about a person under a legal hold stays (their trail stays complete, P6.2.hold), and so
 * does every later month.
 */
import type { Database } from '../../kernel/db/database.ts';
import { dropPartition, monthPartitions } from '../../kernel/db/index.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { GENESIS } from './audit.chain.ts';
import * as repo from './audit.archive.repository.ts';
import type { ArchiveRow, Boundary } from './audit.archive.repository.ts';
import type { AuditEntryInput } from './audit.service.ts';
import type { Queryable } from '../../kernel/db/database.ts';
import type { SigningKey } from './audit.signing-key.ts';
import { payloadVerifies, signerOf, signPayload, type SignatureKeys } from './audit.signature.ts';
import { verifyAuditChain } from './audit.verify.ts';

export type { ArchiveRow, Boundary };

export function archivePayload(a: Omit<ArchiveRow, 'id' | 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      kind: 'civitas-audit-archive',
      createdAt: a.createdAt,
      partition: a.partition,
      rangeFrom: a.rangeFrom,
      rangeTo: a.rangeTo,
      entries: a.entries,
      boundary: [...a.boundary].sort((x, y) => x.lane - y.lane).map((b) => ({ ...b })),
      keyId: a.keyId,
      alg: a.alg,
      prevSig: a.prevSig ? a.prevSig.toString('hex') : null,
    }),
  );
}

/** Signed by the key and algorithm the record names (Ed25519, or SM2 under the national suite). */
export function archiveSignatureValid(a: ArchiveRow, key: SignatureKeys): boolean {
  return payloadVerifies(key, a, archivePayload(a));
}

export interface ArchiveOptions {
  now: Date;
  /** Entries this old go (the audit chain's declared retention). */
  days: number;
  dryRun: boolean;
  /** People a legal hold keeps the trail of. */
  held: readonly string[];
}

export interface ArchiveReport {
  dropped: { partition: string; entries: number }[];
  /** The oldest month that stays although its time has come, and why. */
  kept?: { partition: string; reason: string };
}

const DAY = 86_400_000;

export function createAuditArchive(deps: {
  db: Database;
  key: SigningKey;
  audit: { append(q: Queryable, entry: AuditEntryInput<'audit.archived'>): Promise<unknown> };
}) {
  const { db, key } = deps;

  return async function archive(o: ArchiveOptions): Promise<ArchiveReport> {
    const report: ArchiveReport = { dropped: [] };
    const cutoff = o.now.getTime() - o.days * DAY;
    const due = (await monthPartitions(db, 'audit_entry')).filter((p) => p.to.getTime() <= cutoff);
    let verified = false;
    const runFrom = due[0]?.from;
    for (const p of due) {
      const keep = (reason: string) => {
        report.kept = { partition: p.name, reason };
        return report;
      };
      if (await repo.namesAnyOf(db, p.from, p.to, o.held))
        return keep('a legal hold keeps the trail of a person named in it (P6.2.hold)');
      const { last, entries } = await repo.lastPerLane(db, p.from, p.to);
      const straddling = await repo.laneStraddling(db, { from: p.from, to: p.to, runFrom: runFrom! }, last);
      if (straddling !== undefined)
        return keep(
          `lane ${straddling} has an entry in a later month that comes before this month's last: the months go together`,
        );
      if (o.dryRun) {
        report.dropped.push({ partition: p.name, entries });
        continue;
      }
      // Only a chain that verifies is vouched for by a new boundary; once per run.
      if (!verified) {
        const v = await verifyAuditChain(db, key);
        if (!v.ok) return keep(`the chain does not verify: ${v.problem?.message}`);
        verified = true;
      }
      try {
        await db.tx(async (q) => {
          const previous = (await repo.allArchives(q)).at(-1);
          const boundary = new Map<number, Boundary>((previous?.boundary ?? []).map((b) => [b.lane, b]));
          for (const b of last) boundary.set(b.lane, b);
          const unsigned = {
            createdAt: new Date().toISOString(),
            partition: p.name,
            rangeFrom: p.from.toISOString(),
            rangeTo: p.to.toISOString(),
            entries,
            boundary: [...boundary.values()].sort((x, y) => x.lane - y.lane),
            prevSig: previous?.signature ?? null,
            ...signerOf(key),
          };
          const { signature } = signPayload(key, archivePayload(unsigned));
          await repo.insertArchive(q, { ...unsigned, signature });
          const dropped = await dropPartition(q, 'audit_entry', p.name);
          if (dropped !== entries)
            throw new Error(`${p.name} held ${dropped} entries, not the ${entries} counted`);
          await deps.audit.append(q, {
            actor: { type: 'system', id: 'retention.purge' },
            action: 'audit.archived',
            clause: 'P7.2.audit',
            detail: { partition: p.name, from: unsigned.rangeFrom, to: unsigned.rangeTo, entries },
          });
        });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        // 55P03 lock_not_available, 57014 canceled: the log was busy; the next run tries again.
        if (e.code === '55P03' || e.code === '57014')
          return keep('the log was busy: the next run tries again');
        if (e.code === 'P0001') return keep(e.message ?? 'refused by the database');
        throw err;
      }
      report.dropped.push({ partition: p.name, entries });
    }
    return report;
  };
}

export type AuditArchive = ReturnType<typeof createAuditArchive>;

/** Where each lane starts after the newest archive record (the genesis hash on a new log). */
export function laneStarts(archives: readonly ArchiveRow[]): Map<number, Boundary> {
  const newest = archives.at(-1);
  return new Map((newest?.boundary ?? []).map((b) => [b.lane, b]));
}

export const GENESIS_HEX = GENESIS.toString('hex');

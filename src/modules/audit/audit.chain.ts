/**
 * The hash-chain arithmetic, shared by append and verify so the two cannot drift.
 *
 *   content_hash = sha256(canonical JSON of the entry's recorded fields)
 *   hash         = sha256(prev_hash || int16be(lane) || int64be(seq) || content_hash)
 *
 * The second line is computed by the database function `audit_append` (0001_foundation.sql)
 * under the lane's row lock; `chainHash` here is its twin for verification.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type Json } from '../../shared/canonical-json.ts';

export const GENESIS = Buffer.alloc(32);

export interface RecordedFields {
  /** ISO 8601 with milliseconds, UTC (`Date.toISOString()`). */
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  purpose: string | null;
  legalBasis: string | null;
  clause: string | null;
  detail: { [key: string]: Json };
  requestId: string | null;
}

export function contentHash(f: RecordedFields): Buffer {
  const body = canonicalJson({
    v: 1,
    occurredAt: f.occurredAt,
    actorType: f.actorType,
    actorId: f.actorId,
    action: f.action,
    subjectType: f.subjectType,
    subjectId: f.subjectId,
    purpose: f.purpose,
    legalBasis: f.legalBasis,
    clause: f.clause,
    detail: f.detail,
    requestId: f.requestId,
  });
  return createHash('sha256').update(body).digest();
}

export function chainHash(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer {
  const pos = Buffer.alloc(10);
  pos.writeInt16BE(lane, 0);
  pos.writeBigInt64BE(BigInt(seq), 2);
  return createHash('sha256').update(prev).update(pos).update(content).digest();
}

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

const str = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

const detailJson = (d: RecordedFields['detail']): string => {
  for (const _ in d) return canonicalJson(d);
  return '{}';
};

/**
 * sha256 of canonicalJson({ v: 1, ...fields }), with the keys written out in canonical
 * (sorted) order instead of sorted per call: verification hashes every entry, and the
 * generic sort was a quarter of its time. audit.chain.test.ts pins the two to the same bytes.
 */
export function contentHash(f: RecordedFields): Buffer {
  const body =
    `{"action":${str(f.action)},"actorId":${str(f.actorId)},"actorType":${str(f.actorType)},` +
    `"clause":${str(f.clause)},"detail":${detailJson(f.detail)},"legalBasis":${str(f.legalBasis)},` +
    `"occurredAt":${str(f.occurredAt)},"purpose":${str(f.purpose)},"requestId":${str(f.requestId)},` +
    `"subjectId":${str(f.subjectId)},"subjectType":${str(f.subjectType)},"v":1}`;
  return createHash('sha256').update(body).digest();
}

const link = Buffer.alloc(32 + 2 + 8 + 32);

export function chainHash(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer {
  prev.copy(link, 0);
  link.writeInt16BE(lane, 32);
  link.writeBigInt64BE(BigInt(seq), 34);
  content.copy(link, 42);
  return createHash('sha256').update(link).digest();
}

/**
 * The hash-chain arithmetic, shared by append and verify so the two cannot drift.
 *
 *   content_hash = sha256(canonical JSON of the entry's recorded fields)
 *   hash         = HMAC-SHA256(K, prev_hash || int16be(lane) || int64be(seq) || content_hash)   (chain 2)
 *   hash         = sha256(prev_hash || int16be(lane) || int64be(seq) || content_hash)           (chain 1, before 0015)
 *
 * The link is computed by the database function `audit_append` (0015_keyed_audit_chain.sql)
 * under the lane's row lock, from the key pads the caller passes; `ChainKey.link` here is
 * its twin for verification. K is derived from the audit signing key and never stored in
 * the database, so a chain cut or re-ordered there cannot be re-linked in SQL (ADR 0011).
 */
import { createHash, hkdfSync, type Hash } from 'node:crypto';
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

function linkBytes(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer {
  prev.copy(link, 0);
  link.writeInt16BE(lane, 32);
  link.writeBigInt64BE(BigInt(seq), 34);
  content.copy(link, 42);
  return link;
}

/** The unkeyed link of chain 1 (entries written before migration 0015). */
export function chainHash(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer {
  return createHash('sha256')
    .update(linkBytes(prev, lane, seq, content))
    .digest();
}

/** The key of chain 2: its HMAC pads for `audit_append`, and the link for verification. */
export interface ChainKey {
  ipad: Buffer;
  opad: Buffer;
  link(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer;
}

export function chainKey(secret: Buffer): ChainKey {
  const k = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'civitas audit chain v2', 32));
  const pad = (byte: number) => {
    const p = Buffer.alloc(64, byte);
    for (let i = 0; i < k.length; i++) p[i]! ^= k[i]!;
    return p;
  };
  return chainKeyFromPads(pad(0x36), pad(0x5c));
}

/** The same key rebuilt from its pads (how verification workers receive it). */
export function chainKeyFromPads(ipad: Buffer, opad: Buffer): ChainKey {
  // HMAC by hand, RFC 2104: the pads' hash states are computed once and copied per entry,
  // which verification (hashing every entry) needs to stay near a plain sha256.
  const inner: Hash = createHash('sha256').update(ipad);
  const outer: Hash = createHash('sha256').update(opad);
  return {
    ipad,
    opad,
    link: (prev, lane, seq, content) =>
      outer
        .copy()
        .update(
          inner
            .copy()
            .update(linkBytes(prev, lane, seq, content))
            .digest(),
        )
        .digest(),
  };
}

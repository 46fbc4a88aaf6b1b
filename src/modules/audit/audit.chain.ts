/**
 * The hash-chain arithmetic, shared by append and verify so the two cannot drift.
 *
 *   content_hash = H(canonical JSON of the entry's recorded fields)
 *   hash         = HMAC-SM3(K3, prev_hash || int16be(lane) || int64be(seq) || content_hash)     (chain 3, H = SM3)
 *   hash         = HMAC-SHA256(K, prev_hash || int16be(lane) || int64be(seq) || content_hash)   (chain 2, H = SHA-256)
 *   hash         = sha256(prev_hash || int16be(lane) || int64be(seq) || content_hash)           (chain 1, before 0015)
 *
 * Chain 2's link is computed by the database function `audit_append`
 * (0015_keyed_audit_chain.sql) under the lane's row lock, from the key pads the caller
 * passes; `ChainKey.link` here is its twin for verification. Chain 3 (the national suite,
 * ADR 0043; 0037_national_chain.sql) is linked here by `ChainKey.link` over the head that
 * `audit_lane_take` returns under that lock, since SQL has no SM3. K and K3 are derived from
 * the audit signing key (HKDF with SHA-256 and with SM3, under their own labels) and never
 * stored in the database, so a chain cut or re-ordered there cannot be re-linked in SQL
 * (ADR 0011). Each entry records its chain, and verification links it by that.
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

/** 1 sha256 unkeyed, 2 HMAC-SHA256, 3 HMAC-SM3 (the national suite). */
export type ChainVersion = 1 | 2 | 3;

/**
 * sha256 (SM3 for chain 3) of canonicalJson({ v: 1, ...fields }), with the keys written out
 * in canonical (sorted) order instead of sorted per call: verification hashes every entry,
 * and the generic sort was a quarter of its time. audit.chain.test.ts pins the two to the
 * same bytes.
 */
export function contentHash(f: RecordedFields, chain: ChainVersion = 2): Buffer {
  const body =
    `{"action":${str(f.action)},"actorId":${str(f.actorId)},"actorType":${str(f.actorType)},` +
    `"clause":${str(f.clause)},"detail":${detailJson(f.detail)},"legalBasis":${str(f.legalBasis)},` +
    `"occurredAt":${str(f.occurredAt)},"purpose":${str(f.purpose)},"requestId":${str(f.requestId)},` +
    `"subjectId":${str(f.subjectId)},"subjectType":${str(f.subjectType)},"v":1}`;
  return createHash(chain === 3 ? 'sm3' : 'sha256')
    .update(body)
    .digest();
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

/**
 * The key of a keyed chain: its HMAC pads (chain 2's for `audit_append`), and the link for
 * appending (chain 3) and verification.
 */
export interface ChainKey {
  ipad: Buffer;
  opad: Buffer;
  link(prev: Buffer, lane: number, seq: number, content: Buffer): Buffer;
}

/** The hash a keyed chain's HMAC uses; both have 64-byte blocks, so the pads are alike. */
const HMAC_HASH = { 2: 'sha256', 3: 'sm3' } as const;

export function chainKey(secret: Buffer, chain: 2 | 3 = 2): ChainKey {
  const hash = HMAC_HASH[chain];
  const k = Buffer.from(hkdfSync(hash, secret, Buffer.alloc(0), `civitas audit chain v${chain}`, 32));
  const pad = (byte: number) => {
    const p = Buffer.alloc(64, byte);
    for (let i = 0; i < k.length; i++) p[i]! ^= k[i]!;
    return p;
  };
  return chainKeyFromPads(pad(0x36), pad(0x5c), chain);
}

/** The same key rebuilt from its pads (how verification workers receive it). */
export function chainKeyFromPads(ipad: Buffer, opad: Buffer, chain: 2 | 3 = 2): ChainKey {
  // HMAC by hand, RFC 2104: the pads' hash states are computed once and copied per entry,
  // which verification (hashing every entry) needs to stay near a plain hash.
  const inner: Hash = createHash(HMAC_HASH[chain]).update(ipad);
  const outer: Hash = createHash(HMAC_HASH[chain]).update(opad);
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

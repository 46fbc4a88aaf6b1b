/**
 * The one-click unsubscribe link of a mail the person may switch off (RFC 8058): a token
 * that names the person and the kind of message, signed with a keyed hash of the keyring.
 *
 * Rules:
 * - P8.5 a token switches mail off for its kind and nothing else; a mandatory kind
 *   (security, incident, legal) never gets one.
 * - It works without a session (a mail program posts it) and so proves itself: a token whose
 *   signature does not match is refused like one that never existed, so tokens cannot be
 *   guessed or turned into another person's or kind's.
 * - It holds no address, and the page it opens shows none: it says what was switched off.
 */
import { timingSafeEqual } from 'node:crypto';
import { kinds, type Kind } from './notify.templates.ts';

const kindList = Object.keys(kinds) as Kind[];
const MAC_BYTES = 16;

export type KeyedHash = (data: string) => Buffer;

const macOf = (keyedHash: KeyedHash, subjectId: string, kind: Kind) =>
  keyedHash(`unsubscribe:${subjectId}:${kind}`).subarray(0, MAC_BYTES);

export function unsubscribeToken(keyedHash: KeyedHash, subjectId: string, kind: Kind): string {
  const id = Buffer.from(subjectId.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    id,
    Buffer.from([kindList.indexOf(kind)]),
    macOf(keyedHash, subjectId, kind),
  ]).toString('base64url');
}

/** The person and kind a token names, if its signature holds and the kind may be switched off. */
export function readUnsubscribeToken(
  keyedHash: KeyedHash,
  token: string,
): { subjectId: string; kind: Kind } | undefined {
  if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 16 + 1 + MAC_BYTES) return undefined;
  const kind = kindList[raw[16]!];
  if (!kind || kinds[kind].mandatory) return undefined;
  const hex = raw.subarray(0, 16).toString('hex');
  const subjectId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const mac = raw.subarray(17);
  return timingSafeEqual(mac, macOf(keyedHash, subjectId, kind)) ? { subjectId, kind } : undefined;
}

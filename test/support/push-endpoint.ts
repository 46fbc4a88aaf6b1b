/**
 * A local push service (RFC 8030) for tests: it hands out subscriptions as a browser's
 * PushManager would (a P-256 key pair and a 16-byte auth secret made here, an endpoint on
 * this server), receives pushes, checks their VAPID authorisation (RFC 8292: an ES256 JWT
 * for this origin, not expired, with a `sub`, signed by the key in `k=`) and decrypts the
 * aes128gcm payload (RFC 8291 over RFC 8188) with the subscription's private key.
 *
 * The decryption is written here with node:crypto (ECDH P-256, HKDF-SHA-256, AES-128-GCM),
 * independently of web-push's encryption, so the test proves the two agree on the RFCs
 * rather than that web-push agrees with itself.
 *
 *     const push = await startPushEndpoint();
 *     const sub = push.subscription();          // { endpoint, keys: { p256dh, auth } }
 *     push.answer(sub.endpoint, 410);           // this browser is gone
 *     push.received                             // [{ endpoint, payload, vapid, headers }]
 *     await push.close();
 */
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload, as text. */
  payload: string;
  /** The verified VAPID JWT's claims and the public key that signed it (base64url). */
  vapid: { aud: string; exp: number; sub: string; publicKey: string };
  headers: { ttl: string | undefined; urgency: string | undefined; topic: string | undefined };
}

export interface PushEndpoint {
  url: string;
  received: ReceivedPush[];
  /** Requests refused by the checks here (bad VAPID, undecryptable), with the reason. */
  refused: { endpoint: string; reason: string }[];
  /** A new browser subscription, as `PushSubscription.toJSON()` gives it. */
  subscription(): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Answer pushes to this endpoint with a status instead of accepting them (201). */
  answer(endpoint: string, status: number): void;
  close(): Promise<void>;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** RFC 8292 §3: `vapid t=<jwt>, k=<key>`; the JWT verified with ES256 against `k`, for `origin`. */
function checkVapid(header: string | undefined, origin: string): ReceivedPush['vapid'] {
  const m = /^vapid t=([A-Za-z0-9._-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error('no vapid Authorization');
  const [, jwt, k] = m as unknown as [string, string, string];
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) throw new Error('not a JWT');
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; typ?: string };
  if (head.alg !== 'ES256') throw new Error(`alg ${head.alg}`);
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('bad JWT signature');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud}`);
  const now = Date.now() / 1000;
  // RFC 8292 §2: no more than 24 hours ahead.
  if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 86_400) throw new Error('exp');
  if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub');
  return { aud: claims.aud, exp: claims.exp, sub: claims.sub, publicKey: k };
}

/** RFC 8291 §3.4 and RFC 8188 §2: one aes128gcm record, decrypted with the browser's keys. */
export function decryptAes128gcm(body: Buffer, browser: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const serverKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error('keyid is not the sender’s P-256 key');
  if (record.length > rs) throw new Error('more than one record');
  const shared = browser.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const browsers = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const answers = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const refused: PushEndpoint['refused'] = [];
  let url = '';
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const endpoint = `${url}${req.url ?? ''}`;
      const browser = browsers.get(endpoint);
      if (req.method !== 'POST' || !browser) return res.writeHead(404).end();
      const status = answers.get(endpoint);
      if (status !== undefined) return res.writeHead(status).end();
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        const vapid = checkVapid(req.headers.authorization, url);
        const payload = decryptAes128gcm(body, browser.ecdh, browser.auth);
        const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
        received.push({
          endpoint,
          payload,
          vapid,
          headers: {
            ttl: one(req.headers.ttl),
            urgency: one(req.headers.urgency),
            topic: one(req.headers.topic),
          },
        });
        res.writeHead(201, { location: `${endpoint}/messages/${received.length}` }).end();
      } catch (err) {
        refused.push({ endpoint, reason: (err as Error).message });
        res.writeHead(400).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    refused,
    subscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${url}/push/${randomBytes(12).toString('base64url')}`;
      browsers.set(endpoint, { ecdh, auth });
      return { endpoint, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    answer(endpoint, status) {
      answers.set(endpoint, status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

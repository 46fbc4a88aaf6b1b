/**
 * Web push (RFC 8030) to the browsers people opted in on, with VAPID (RFC 8292) and an
 * encrypted payload (RFC 8291, aes128gcm of RFC 8188). web-push 3.6 builds each request
 * (the encryption and the signed VAPID header, ADR 0029); this adapter sends it with
 * fetch, so the timeout is ours and the destination rules below hold for every request.
 *
 * Rules:
 * - Only push services on the allow-list (`PUSH_SERVICE_HOSTS`) over https receive a
 *   request: an endpoint is a URL a browser (or anybody posting to our API) gave us, and
 *   must not turn Civitas into a client of arbitrary hosts. Outside production a loopback
 *   http endpoint is accepted too (the local push endpoint of the tests and development).
 * - The push service's answer decides what happens: 201/202 delivered; 404 and 410 mean the
 *   subscription is gone (the caller removes it); 429, 5xx, a timeout or no connection are
 *   worth another attempt; any other 4xx is a refusal of this request (a bad key, a payload
 *   too large) that retrying cannot mend.
 * - Errors carry the status only, never the endpoint (it names a person's browser) or the
 *   payload.
 * - VAPID keys: production takes VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT and
 *   refuses a development key; development and test generate a pair under DATA_DIR/keys
 *   once (marked as development in its own bits, shared/development-secret.ts) and keep it,
 *   since every subscription is bound to the public key it was made with.
 */
import { createECDH } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import type { Config } from '../kernel/config/index.ts';
import { isDevelopmentSecret, newSecret } from '../shared/development-secret.ts';
import { createWholeFile } from '../shared/whole-file.ts';

/** A browser's subscription, as its PushManager gave it. */
export interface PushDestination {
  endpoint: string;
  /** P-256 public key of the browser, 65 bytes uncompressed. */
  p256dh: Buffer;
  /** The browser's 16-byte authentication secret. */
  auth: Buffer;
}

export interface PushMessage {
  /** The text the service worker receives (JSON), encrypted to the browser. */
  payload: string;
  /** How long the push service may hold it for a browser that is offline. */
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A later message with the same topic replaces one the push service still holds. */
  topic?: string | undefined;
}

export type PushResult =
  { ok: true; status: number } | { ok: false; outcome: 'gone' | 'retry' | 'refused'; status: number | null };

export interface PushService {
  /** The VAPID public key (base64url), the browser's `applicationServerKey`. */
  readonly publicKey: string;
  /** Whether Civitas would send to this endpoint at all (checked before storing it too). */
  accepts(endpoint: string): boolean;
  send(to: PushDestination, message: PushMessage): Promise<PushResult>;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
  development: boolean;
}

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const keyFile = z.object({
  type: z.literal('civitas-vapid-key'),
  development: z.boolean(),
  createdAt: z.string(),
  privateKey: b64url,
  publicKey: b64url,
});

/** The P-256 public key (uncompressed point) of a 32-byte private scalar. */
function publicOf(privateKey: Buffer): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return ecdh.getPublicKey();
}

export const vapidKeyPath = (config: Pick<Config, 'dataDir'>) =>
  resolve(join(config.dataDir, 'keys', 'vapid-key.json'));

/** A new VAPID key pair (base64url), production or development by its own bits. */
export function newVapidKeys(development: boolean): { publicKey: string; privateKey: string } {
  const privateKey = newSecret(development);
  return {
    publicKey: publicOf(privateKey).toString('base64url'),
    privateKey: privateKey.toString('base64url'),
  };
}

/** A new key file (development only: production keys come from the environment). */
function writeDevelopmentKey(path: string): void {
  const privateKey = newSecret(true);
  const body = {
    type: 'civitas-vapid-key',
    development: true,
    createdAt: new Date().toISOString(),
    privateKey: privateKey.toString('base64url'),
    publicKey: publicOf(privateKey).toString('base64url'),
  };
  // Several processes may start on one data directory at once: the first key made wins and
  // the others use it (shared/whole-file.ts).
  createWholeFile(path, `${JSON.stringify(body, null, 2)}\n`, { keepExisting: true });
}

/** The VAPID keys of this deployment (see the rules above). */
export function loadVapidKeys(
  config: Pick<Config, 'mode' | 'dataDir' | 'vapidPublicKey' | 'vapidPrivateKey' | 'vapidSubject'>,
): VapidKeys {
  const subject = config.vapidSubject;
  if (config.vapidPrivateKey && config.vapidPublicKey) {
    const privateKey = Buffer.from(config.vapidPrivateKey, 'base64url');
    if (privateKey.length !== 32) throw new Error('VAPID_PRIVATE_KEY: must be 32 bytes, base64url');
    let derived: Buffer;
    try {
      derived = publicOf(privateKey);
    } catch {
      throw new Error('VAPID_PRIVATE_KEY: not a P-256 private key');
    }
    if (!derived.equals(Buffer.from(config.vapidPublicKey, 'base64url')))
      throw new Error('VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY');
    const development = isDevelopmentSecret(privateKey);
    if (config.mode === 'production' && development)
      throw new Error(
        'VAPID_PRIVATE_KEY: is a development key; production needs its own (`npx web-push generate-vapid-keys`)',
      );
    return { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject, development };
  }
  if (config.mode === 'production')
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: required in production');
  const path = vapidKeyPath(config);
  if (!existsSync(path)) writeDevelopmentKey(path);
  if ((statSync(path).mode & 0o077) !== 0)
    throw new Error(`${path}: readable by group or others; chmod 600 it`);
  const parsed = keyFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: not a Civitas VAPID key file`);
  return { publicKey: parsed.data.publicKey, privateKey: parsed.data.privateKey, subject, development: true };
}

/** `*.example.com` matches a sub-domain of example.com; anything else, the host itself. */
const hostMatches = (host: string, pattern: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;

/** web-push's headers as fetch takes them (fetch sets the length itself). */
const headersOf = (h: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(h)
      .filter(([k]) => k.toLowerCase() !== 'content-length')
      .map(([k, v]) => [k, String(v)]),
  );

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createWebPush(opts: {
  keys: VapidKeys;
  /** Push services to send to (host names, `*.` for sub-domains). */
  hosts: readonly string[];
  /** Outside production: also a loopback http endpoint (the local push endpoint). */
  allowLoopback: boolean;
  timeoutMs?: number;
}): PushService {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const vapidDetails = {
    subject: opts.keys.subject,
    publicKey: opts.keys.publicKey,
    privateKey: opts.keys.privateKey,
  };
  const accepts = (endpoint: string) => {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    if (url.protocol === 'https:' && opts.hosts.some((h) => hostMatches(url.hostname, h))) return true;
    return opts.allowLoopback && LOOPBACK.has(url.hostname) && ['http:', 'https:'].includes(url.protocol);
  };
  return {
    publicKey: opts.keys.publicKey,
    accepts,
    async send(to, m) {
      if (!accepts(to.endpoint)) return { ok: false, outcome: 'refused', status: null };
      const request = webpush.generateRequestDetails(
        {
          endpoint: to.endpoint,
          keys: { p256dh: to.p256dh.toString('base64url'), auth: to.auth.toString('base64url') },
        },
        m.payload,
        {
          vapidDetails,
          TTL: m.ttlSeconds,
          urgency: m.urgency,
          ...(m.topic ? { topic: m.topic } : {}),
          contentEncoding: 'aes128gcm',
        },
      );
      let status: number;
      try {
        const res = await fetch(request.endpoint, {
          method: 'POST',
          headers: headersOf(request.headers),
          body: request.body,
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        await res.body?.cancel();
      } catch {
        // No connection, a timeout, a redirect: the push service did not take it this time.
        return { ok: false, outcome: 'retry', status: null };
      }
      if (status >= 200 && status < 300) return { ok: true, status };
      if (status === 404 || status === 410) return { ok: false, outcome: 'gone', status };
      if (status === 429 || status >= 500) return { ok: false, outcome: 'retry', status };
      return { ok: false, outcome: 'refused', status };
    },
  };
}

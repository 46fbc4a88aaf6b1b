/**
 * Staff sign-in as tests need it (P7.2.roles): the password, then the authenticator app.
 * The first sign-in of an account enrols it (reads the key from the enrolment page, as a
 * person would scan it) and later ones answer with a code from the same key. A TOTP step is
 * accepted once per account, so each sign-in uses a later step than the one before; when
 * the window (current step ±1) has none left, the helper waits for the next step.
 */
import type { StaffService } from '../../src/modules/staff/index.ts';
import { hotp, totpStep } from '../../src/shared/totp.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function fromBase32(s: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s) {
    value = (value << 5) | ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

interface App {
  secret: Buffer;
  lastStep: number;
}
/**
 * The authenticator app of each account, by e-mail (several processes of one platform share
 * accounts; a new platform's first sign-in enrols again and replaces the entry).
 */
const apps = new Map<string, App>();

/** A code for a step later than every step this account used before. */
export async function nextCode(app: App): Promise<string> {
  for (;;) {
    const now = totpStep(Date.now());
    const step = [now, now + 1].find((s) => s > app.lastStep);
    if (step !== undefined) {
      app.lastStep = step;
      return hotp(app.secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** The authenticator app enrolled for this account in this platform, if any. */
export const staffApp = (email: string) => apps.get(email.toLowerCase());

/** Signs a staff member in through the pages; returns the `civitas_staff=…` cookie of the console. */
export async function signInStaff(url: string, email: string, password: string): Promise<string> {
  const form = (path: string, body: Record<string, string>, cookie: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(body).toString(),
    });
  const login = await form('/admin/login', { email, password }, '');
  if (login.status !== 303) throw new Error(`staff sign-in answered ${login.status}`);
  const pending = cookieOf(login);
  const key = email.toLowerCase();
  let app = apps.get(key);
  let step: Response;
  if (login.headers.get('location') === '/admin/enrol') {
    const page = await (await fetch(`${url}/admin/enrol`, { headers: { cookie: pending } })).text();
    const secret = /data-totp-secret[^>]*>([A-Z2-7]+)</.exec(page)?.[1];
    if (!secret) throw new Error('the enrolment page shows no key');
    app = { secret: fromBase32(secret), lastStep: -1 };
    apps.set(key, app);
    step = await form('/admin/enrol', { code: await nextCode(app) }, pending);
  } else {
    if (!app) throw new Error(`no authenticator app known for ${email}`);
    step = await form('/admin/login/code', { code: await nextCode(app) }, pending);
  }
  if (step.status !== 303 || step.headers.get('location') !== '/admin')
    throw new Error(`staff second factor answered ${step.status}`);
  return cookieOf(step);
}

/** The same through the service: returns the token of a full staff session. */
export async function staffSessionToken(
  staff: StaffService,
  email: string,
  password: string,
  requestId = 'test',
): Promise<string> {
  const { token, stage } = await staff.login(email, password, requestId);
  const key = email.toLowerCase();
  if (stage === 'enrol') {
    const { secret } = await staff.enrolment(token, 'Civitas staff');
    const app = { secret: fromBase32(secret), lastStep: -1 };
    apps.set(key, app);
    return staff.confirmEnrolment(token, await nextCode(app), requestId);
  }
  const app = apps.get(key);
  if (!app) throw new Error(`no authenticator app known for ${email}`);
  return staff.verifyCode(token, await nextCode(app), requestId);
}

/** A console form posted as the browser would (repeated fields for checkboxes), no redirect followed. */
export function postConsoleForm(
  url: string,
  path: string,
  body: Record<string, string | string[]>,
  cookie: string,
  lang = 'en',
): Promise<Response> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) params.append(k, one);
  return fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': lang },
    body: params.toString(),
  });
}

/** A console page as the staff member with this cookie sees it. */
export const getConsolePage = (url: string, path: string, cookie: string, lang = 'en') =>
  fetch(`${url}${path}`, { headers: { cookie, 'accept-language': lang } });

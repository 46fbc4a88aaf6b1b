/**
 * A citizen as an API client sees it in tests: registers with a confirmed phone (its
 * browser becomes a known device), signs in with or without that device cookie.
 */
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { registerCitizen } from './citizens.ts';
import type { TestPlatform } from './platform.ts';

export const PASSWORD = 'correct horse';

/** A possible resident ID number (GB 11643) for a test person numbered n. */
export function idNumberFor(n: number): string {
  const first17 = `11010119900101${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

export const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

export interface Citizen {
  phone: string;
  subjectId: string;
  /** `civitas_device=…` of the browser that registered. */
  device: string;
  session: string;
}

export function client(p: TestPlatform) {
  const sms = () => p.sms as LocalSmsGateway;
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  return {
    sms,
    post,
    async register(phone: string, n: number): Promise<Citizen> {
      const c = await registerCitizen(p, phone, idNumberFor(n), { name: '王芳', password: PASSWORD });
      const pair = (name: string) => c.cookie.split('; ').find((x) => x.startsWith(`${name}=`))!;
      return {
        phone,
        subjectId: c.subjectId,
        device: pair('civitas_device'),
        session: pair('civitas_session'),
      };
    },
    /** Password sign-in; `device` is the cookie to send (none: a browser never seen). */
    login(phone: string, opts: { device?: string; place?: string; password?: string } = {}) {
      return post(
        '/api/identity/login/password',
        { phone, password: opts.password ?? PASSWORD, ...(opts.place ? { place: opts.place } : {}) },
        opts.device,
      );
    },
  };
}

export interface SecondStepAnswer {
  secondStep: { challenge: string; methods: string[]; reasons: string[]; expiresAt: string };
}

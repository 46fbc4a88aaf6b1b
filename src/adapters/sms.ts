/**
 * The SMS gateway: sends one-time codes, login alerts and notices to mobile numbers.
 * `HttpSmsGateway` speaks the HTTP/JSON protocol of docs/adapters/sms-gateway.md to a real
 * operator. The development fake, which prints codes instead, is src/dev/sms.ts.
 */
/** One message kind per approved gateway template; params never carry personal data. */
export type SmsMessage =
  | { to: string; template: 'verification-code'; params: { code: string }; locale: string }
  | {
      to: string;
      /** P7.3 "your account was signed in at {time} from {device}". */
      template: 'login-alert';
      params: { time: string; device: string };
      locale: string;
    }
  | {
      to: string;
      /** P7.3 "several wrong codes were entered at {time} signing in to your account from {device}". */
      template: 'sign-in-attempts';
      params: { time: string; device: string };
      locale: string;
    }
  | {
      to: string;
      /** P7.3 "at {time} someone tried to open an account with your ID number". */
      template: 'registration-attempt';
      params: { time: string };
      locale: string;
    }
  | {
      to: string;
      /** P7.3 "your authenticator app was removed at {time}" (or a passkey, new recovery codes, a new password or number). */
      template: 'security-change';
      params: {
        time: string;
        change:
          | 'totp-removed'
          | 'passkey-removed'
          | 'recovery-codes-regenerated'
          | 'password-changed'
          | 'phone-changed'
          | 'phone-recovered'
          | 'id-number-released';
      };
      locale: string;
    }
  | {
      to: string;
      /** P7.3 "the e-mail address of your account was added / changed / removed at {time}". */
      template: 'email-changed';
      params: { time: string; change: 'added' | 'changed' | 'removed' };
      locale: string;
    }
  | {
      to: string;
      /** P5.3.3 "at {time} your data was disclosed to {recipient} under a legal order". */
      template: 'disclosure-notice';
      params: { time: string; recipient: string };
      locale: string;
    }
  | {
      to: string;
      /** P5.3.2 "on {date} your {categories} are to be transferred to {recipient} because of {reason}". */
      template: 'transfer-notice';
      params: {
        recipient: string;
        creditCode: string;
        reason: 'merger' | 'acquisition' | 'operator-change' | 'other';
        /** One text per language (zh-CN always; en and cs when given): the locale's. */
        categories: Record<string, string>;
        date: string;
      };
      locale: string;
    };

export interface SmsGateway {
  send(message: SmsMessage): Promise<{ messageId: string }>;
}

export class SmsUnavailable extends Error {
  constructor(reason: string) {
    super(`SMS gateway unavailable: ${reason}`);
    this.name = 'SmsUnavailable';
  }
}

export { maskPhone } from '../kernel/mask.ts';

export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    let res: Response;
    try {
      res = await fetch(
        new URL('v1/messages', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`),
        {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
    } catch (err) {
      throw new SmsUnavailable((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed');
    }
    if (res.status !== 202) throw new SmsUnavailable(`status ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { messageId?: unknown };
    if (typeof body.messageId !== 'string') throw new SmsUnavailable('no messageId in response');
    return { messageId: body.messageId };
  }
}

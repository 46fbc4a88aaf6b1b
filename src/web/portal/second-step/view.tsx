/** P7.3 the second step of a risky sign-in: one form per method the account allows. */
import type { RiskReason, SecondStepMethod } from '../../../modules/signin/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { withNext } from '../../http/return-address.ts';

export interface StepState {
  methods: SecondStepMethod[];
  reasons: RiskReason[];
  next?: string | undefined;
  error?: string | undefined;
  smsSent?: boolean;
  /** The challenge is gone (expired, used, too many attempts): only "sign in again" remains. */
  over?: boolean;
}

const CodeForm = (props: {
  t: PageContext['t'];
  action: string;
  method: 'totp' | 'recovery-code' | 'sms';
  label: string;
  numeric: boolean;
}) => (
  <form method="post" action={props.action} class="stack">
    <input type="hidden" name="method" value={props.method} />
    <label for={`code-${props.method}`}>{props.label}</label>
    <input
      id={`code-${props.method}`}
      name="code"
      inputmode={props.numeric ? 'numeric' : 'text'}
      autocomplete="one-time-code"
      required
    />
    <button type="submit">{props.t('security.step.submit')}</button>
  </form>
);

export function SecondStepPage(props: { ctx: PageContext; state: StepState }) {
  const { t } = props.ctx;
  const s = props.state;
  const action = withNext('/login/second-step', s.next);
  return (
    <Layout ctx={props.ctx} title={t('security.step.title')} area="portal">
      <h1>{t('security.step.title')}</h1>
      {s.error ? (
        <p class="error" role="alert" id="form-error">
          {s.error}
        </p>
      ) : null}
      {s.over ? (
        <p>
          <a href={withNext('/login', s.next)}>{t('security.step.again')}</a>
        </p>
      ) : (
        <>
          <p>{t('security.step.intro')}</p>
          <ul>
            {s.reasons.length === 0 ? <li>{t('security.reason.fresh-sign-in')}</li> : null}
            {s.reasons.map((r) => (
              <li>{t(`security.reason.${r}`)}</li>
            ))}
          </ul>
          {s.methods.includes('passkey') ? (
            <div data-passkey="second-step" data-next={s.next ?? '/me/access'} hidden>
              <button type="button">{t('security.step.passkey')}</button>
              <p
                class="error"
                role="alert"
                data-error
                data-fail={t('security.step.passkeyFailed')}
                data-needs-name={t('security.passkeys.needsName')}
                hidden
              ></p>
            </div>
          ) : null}
          {s.methods.includes('totp') ? (
            <CodeForm t={t} action={action} method="totp" label={t('security.step.totp')} numeric />
          ) : null}
          {s.methods.includes('recovery-code') ? (
            <details>
              <summary>{t('security.step.or')}</summary>
              <CodeForm
                t={t}
                action={action}
                method="recovery-code"
                label={t('security.step.recovery')}
                numeric={false}
              />
            </details>
          ) : null}
          {s.methods.includes('sms') ? (
            s.smsSent ? (
              <>
                <p role="status">{t('auth.codeSent')}</p>
                <CodeForm t={t} action={action} method="sms" label={t('auth.code')} numeric />
              </>
            ) : (
              <form method="post" action={withNext('/login/second-step/send', s.next)} class="stack">
                <p>{t('security.step.sms')}</p>
                <button type="submit">{t('auth.sendCode')}</button>
              </form>
            )
          ) : null}
          {s.methods.includes('passkey') ? <script src="/static/passkey.js" defer></script> : null}
        </>
      )}
    </Layout>
  );
}

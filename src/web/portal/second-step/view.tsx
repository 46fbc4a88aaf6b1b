/** P7.3 the second step of a risky sign-in: one form per method the account allows. */
import type { RiskReason, SecondStepMethod } from '../../../modules/signin/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import { withNext } from '../../http/return-address.ts';

export interface StepState {
  methods: SecondStepMethod[];
  reasons: RiskReason[];
  next?: string | undefined;
  errors?: FieldError[] | undefined;
  /** The method whose form was answered (its code field carries the error). */
  answered?: 'totp' | 'recovery-code' | 'sms' | undefined;
  smsSent?: boolean;
  /** The challenge is gone (expired, used, too many attempts): only "sign in again" remains. */
  over?: boolean;
}

/** The id of a method's code field (the error summary links to it). */
export const codeFieldOf = (method: 'totp' | 'recovery-code' | 'sms') => `code-${method}`;

const CodeForm = (props: {
  t: PageContext['t'];
  action: string;
  method: 'totp' | 'recovery-code' | 'sms';
  label: string;
  numeric: boolean;
  errors?: FieldError[] | undefined;
  /** P7.3 "send a new code" beside an SMS code (spent or wrong). */
  resend?: string | undefined;
}) => (
  <form method="post" action={props.action} class="stack" novalidate>
    <input type="hidden" name="method" value={props.method} />
    <Field
      id={codeFieldOf(props.method)}
      name="code"
      label={props.label}
      inputmode={props.numeric ? 'numeric' : 'text'}
      autocomplete="one-time-code"
      required
      errors={props.errors}
    />
    <button type="submit">{props.t('security.step.submit')}</button>
    {props.resend ? (
      <button type="submit" formaction={props.resend} formnovalidate class="secondary">
        {props.t('forms.code.resend')}
      </button>
    ) : null}
  </form>
);

export function SecondStepPage(props: { ctx: PageContext; state: StepState }) {
  const { t } = props.ctx;
  const s = props.state;
  const action = withNext('/login/second-step', s.next);
  return (
    <Layout ctx={props.ctx} title={t('security.step.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={s.errors} />
      <h1>{t('security.step.title')}</h1>
      {s.over ? (
        <p>
          <a href={withNext('/login', s.next)} id="sign-in-again">
            {t('security.step.again')}
          </a>
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
            <CodeForm
              t={t}
              action={action}
              method="totp"
              label={t('security.step.totp')}
              numeric
              errors={s.errors}
            />
          ) : null}
          {s.methods.includes('recovery-code') ? (
            <details open={s.answered === 'recovery-code'}>
              <summary>{t('security.step.or')}</summary>
              <CodeForm
                t={t}
                action={action}
                method="recovery-code"
                label={t('security.step.recovery')}
                numeric={false}
                errors={s.errors}
              />
            </details>
          ) : null}
          {s.methods.includes('sms') ? (
            s.smsSent ? (
              <>
                <p role="status">{t('auth.codeSent')}</p>
                <CodeForm
                  t={t}
                  action={action}
                  method="sms"
                  label={t('auth.code')}
                  numeric
                  errors={s.errors}
                  resend={withNext('/login/second-step/send', s.next)}
                />
              </>
            ) : (
              <form method="post" action={withNext('/login/second-step/send', s.next)} class="stack">
                <p id="sms-send">{t('security.step.sms')}</p>
                <button type="submit" id="send-sms" aria-describedby="sms-send">
                  {t('auth.sendCode')}
                </button>
              </form>
            )
          ) : null}
          {s.methods.includes('passkey') ? <script src="/static/passkey.js" defer></script> : null}
        </>
      )}
    </Layout>
  );
}

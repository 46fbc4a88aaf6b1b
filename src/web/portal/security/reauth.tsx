/**
 * P7.3 P8.3 "Confirm it is you": the password, an app code, or a code sent by SMS to the
 * verified phone, again, before a sensitive change; the page names the change it is for.
 */
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';

export function ReauthPage(props: {
  ctx: PageContext;
  /** The change's own address: the form posts back there with the proof. */
  action: string;
  /** Why a fresh proof is needed: the change's name, in the page's language. */
  why: string;
  /** A longer reason, when the change's name alone does not say it. */
  detail?: string | undefined;
  totp: boolean;
  /** P8.3 the verified phone, masked, when a code can be sent to it; `sent` once it was. */
  sms?: { phone: string; sent: boolean } | undefined;
  error?: string | undefined;
  /** Which field the error belongs to (the password, else the SMS code). */
  errorField?: 'reauth-password' | 'reauth-sms' | undefined;
  /** Fields of the first POST to send again with the proof (the confirmation, what was typed). */
  carry?: Record<string, string> | undefined;
}) {
  const { t } = props.ctx;
  const errors: FieldError[] | undefined = props.error
    ? [{ field: props.errorField ?? 'reauth-password', message: props.error }]
    : undefined;
  const carried = Object.entries(props.carry ?? {}).map(([name, value]) => (
    <input type="hidden" name={name} value={value} />
  ));
  return (
    <Layout ctx={props.ctx} title={t('reauth.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={errors} />
      <h1>{t('reauth.title')}</h1>
      <p id="reauth-why">
        {t('reauth.why')} <strong>{props.why}</strong>
      </p>
      {props.detail ? <p>{props.detail}</p> : null}
      <p>{t('reauth.proveAgain')}</p>
      <form method="post" action={props.action} class="stack">
        <input type="hidden" name="reauth" value="1" />
        {carried}
        <Field
          id="reauth-password"
          name="password"
          label={t('reauth.password')}
          type="password"
          autocomplete="current-password"
          errors={errors}
        />
        {props.totp ? (
          <Field
            id="reauth-code"
            name="code"
            label={t('reauth.code')}
            inputmode="numeric"
            autocomplete="one-time-code"
          />
        ) : null}
        {props.sms?.sent ? (
          <Field
            id="reauth-sms"
            name="sms"
            label={t('reauth.sms.code')}
            hint={`${t('reauth.sms.sentTo')} ${props.sms.phone}`}
            inputmode="numeric"
            autocomplete="one-time-code"
            errors={errors}
          />
        ) : null}
        <button type="submit">{t('reauth.submit')}</button>
      </form>
      {props.sms ? (
        <form method="post" action={props.action} class="stack">
          <input type="hidden" name="reauth" value="send" />
          {carried}
          <p>
            {t('reauth.sms.offer')} <strong>{props.sms.phone}</strong>
          </p>
          <button type="submit" class="secondary">
            {props.sms.sent ? t('reauth.sms.again') : t('reauth.sms.send')}
          </button>
        </form>
      ) : null}
      <p>
        <a href="/me">{t('account.me.title')}</a> · <a href="/me/security">{t('me.security.title')}</a>
      </p>
    </Layout>
  );
}

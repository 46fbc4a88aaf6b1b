/** P7.3 "Confirm it is you": the password or an app code again, before a change that weakens protection. */
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field } from '../../forms/fields.tsx';

export function ReauthPage(props: {
  ctx: PageContext;
  /** The change's own address: the form posts back there with the proof. */
  action: string;
  totp: boolean;
  error?: string | undefined;
  /** Fields of the first POST to send again with the proof (the confirmation). */
  carry?: Record<string, string> | undefined;
}) {
  const { t } = props.ctx;
  // Either answer proves it: the error belongs to the password, the first of them.
  const errors = props.error ? [{ field: 'reauth-password', message: props.error }] : undefined;
  return (
    <Layout ctx={props.ctx} title={t('reauth.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={errors} />
      <h1>{t('reauth.title')}</h1>
      <p>{t('reauth.intro')}</p>
      <form method="post" action={props.action} class="stack">
        <input type="hidden" name="reauth" value="1" />
        {Object.entries(props.carry ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
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
        <button type="submit">{t('reauth.submit')}</button>
      </form>
      <p>
        <a href="/me/security">{t('me.security.title')}</a>
      </p>
    </Layout>
  );
}

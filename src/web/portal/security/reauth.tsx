/** P7.3 "Confirm it is you": the password or an app code again, before a change that weakens protection. */
import { Layout, type PageContext } from '../../layout.tsx';

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
  return (
    <Layout ctx={props.ctx} title={t('reauth.title')} area="portal">
      <h1>{t('reauth.title')}</h1>
      {props.error ? (
        <p class="error" role="alert" id="form-error">
          {props.error}
        </p>
      ) : null}
      <p>{t('reauth.intro')}</p>
      <form
        method="post"
        action={props.action}
        class="stack"
        aria-describedby={props.error ? 'form-error' : undefined}
      >
        <input type="hidden" name="reauth" value="1" />
        {Object.entries(props.carry ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label for="reauth-password">{t('reauth.password')}</label>
        <input id="reauth-password" name="password" type="password" autocomplete="current-password" />
        {props.totp ? (
          <>
            <label for="reauth-code">{t('reauth.code')}</label>
            <input id="reauth-code" name="code" inputmode="numeric" autocomplete="one-time-code" />
          </>
        ) : null}
        <button type="submit">{t('reauth.submit')}</button>
      </form>
      <p>
        <a href="/me/security">{t('me.security.title')}</a>
      </p>
    </Layout>
  );
}

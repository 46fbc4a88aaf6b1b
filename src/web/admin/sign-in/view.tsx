/** P7.2.roles the staff second factor: the code page, enrolment at first sign-in, password change. */
import { Layout, type PageContext } from '../../layout.tsx';

const ErrorLine = (props: { error?: string | undefined }) =>
  props.error ? (
    <p class="error" role="alert" id="form-error">
      {props.error}
    </p>
  ) : null;

export function StaffCodePage(props: { ctx: PageContext; error?: string | undefined }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('admin.mfa.title')} area="admin">
      <h1>{t('admin.mfa.title')}</h1>
      <ErrorLine error={props.error} />
      <form
        method="post"
        action="/admin/login/code"
        class="stack"
        aria-describedby={props.error ? 'form-error' : undefined}
      >
        <p>{t('admin.mfa.intro')}</p>
        <label for="code">{t('admin.mfa.code')}</label>
        <input
          id="code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          required
        />
        <button type="submit">{t('admin.mfa.submit')}</button>
      </form>
      <p>
        <a href="/admin/login">{t('admin.mfa.restart')}</a>
      </p>
    </Layout>
  );
}

export function StaffEnrolPage(props: {
  ctx: PageContext;
  secret: string;
  uri: string;
  qr: string;
  error?: string | undefined;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('admin.enrol.title')} area="admin">
      <h1>{t('admin.enrol.title')}</h1>
      <ErrorLine error={props.error} />
      <p>{t('admin.enrol.intro')}</p>
      <img src={props.qr} alt={t('admin.enrol.qr')} width="200" height="200" />
      <dl class="facts">
        <dt>{t('admin.enrol.key')}</dt>
        <dd>
          <code data-totp-secret>{props.secret}</code>
        </dd>
      </dl>
      <form
        method="post"
        action="/admin/enrol"
        class="stack"
        aria-describedby={props.error ? 'form-error' : undefined}
      >
        <label for="code">{t('admin.mfa.code')}</label>
        <input
          id="code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          required
        />
        <button type="submit">{t('admin.enrol.submit')}</button>
      </form>
    </Layout>
  );
}

export function StaffPasswordPage(props: { ctx: PageContext; error?: string | undefined; done?: boolean }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('admin.password.title')} area="admin">
      <h1>{t('admin.password.title')}</h1>
      <ErrorLine error={props.error} />
      {props.done ? (
        <p class="notice" role="status">
          {t('admin.password.done')}
        </p>
      ) : null}
      <p id="password-rules">{t('admin.password.intro')}</p>
      <form
        method="post"
        action="/admin/password"
        class="stack"
        aria-describedby={props.error ? 'form-error' : undefined}
      >
        <label for="current">{t('admin.password.current')}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required />
        <label for="password">{t('admin.password.new')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={12}
          maxlength={128}
          aria-describedby="password-rules"
          required
        />
        <button type="submit">{t('admin.password.submit')}</button>
      </form>
      <p>
        <a href="/admin">{t('admin.home.title')}</a>
      </p>
    </Layout>
  );
}

/** Registration and sign-in pages: plain forms, labelled fields, errors announced. */
import type { Child } from 'hono/jsx';
import { Layout, type PageContext } from '../../layout.tsx';
import { withNext } from '../../http/return-address.ts';

export interface FormState {
  error?: string;
  phone?: string;
  name?: string;
  idNumber?: string;
  codeSent?: boolean;
  next?: string;
  /** The session ended while the person was posting a form (citizen-auth.ts). */
  ended?: boolean;
}

const ErrorLine = (props: { error?: string | undefined }) =>
  props.error ? (
    <p class="error" role="alert" id="form-error">
      {props.error}
    </p>
  ) : null;

const described = (s: FormState) => (s.error ? 'form-error' : undefined);

const PhoneField = (props: { t: PageContext['t']; value?: string | undefined; autocomplete: string }) => (
  <>
    <label for="phone">{props.t('auth.phone')}</label>
    <input
      id="phone"
      name="phone"
      type="tel"
      inputmode="numeric"
      autocomplete={props.autocomplete}
      required
      value={props.value ?? ''}
    />
  </>
);

const CodeField = (props: { t: PageContext['t'] }) => (
  <>
    <label for="code">{props.t('auth.code')}</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
  </>
);

const NewPasswordField = (props: { t: PageContext['t']; label: 'auth.password' | 'auth.newPassword' }) => (
  <>
    <label for="password">{props.t(props.label)}</label>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete="new-password"
      required
      aria-describedby="password-hint"
    />
    <small id="password-hint" class="muted">
      {props.t('auth.register.passwordHint')}
    </small>
  </>
);

/**
 * P2.2.1 a coarse place, only if the person adds one: a city typed by hand, or (with
 * JavaScript, after ticking the box) the device's location rounded in the browser to
 * whole degrees. Used by the sign-in risk checks (P7.3), never otherwise.
 */
const PlaceField = (props: { t: PageContext['t'] }) => (
  <details class="place">
    <summary>{props.t('security.place.summary')}</summary>
    <p class="muted" id="place-hint">
      {props.t('security.place.hint')}
    </p>
    <label for="city">{props.t('security.place.city')}</label>
    <input id="city" name="city" autocomplete="address-level2" aria-describedby="place-hint" />
    <div
      data-geo
      data-ok={props.t('security.place.geoOk')}
      data-fail={props.t('security.place.geoFail')}
      hidden
    >
      <input type="checkbox" id="use-geo" />
      <label for="use-geo">{props.t('security.place.geo')}</label>
      <p role="status" data-geo-status></p>
    </div>
    <input type="hidden" name="place" id="place" value="" />
  </details>
);

export function RegisterPage(props: { ctx: PageContext; state: FormState }) {
  const { t } = props.ctx;
  const s = props.state;
  return (
    <Layout ctx={props.ctx} title={t('auth.register.title')} area="portal">
      <h1>{t('auth.register.title')}</h1>
      <p>{t('auth.register.intro')}</p>
      <ErrorLine error={s.error} />
      {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
      {!s.codeSent ? (
        <form
          method="post"
          action={withNext('/register/code', s.next)}
          class="stack"
          aria-describedby={described(s)}
        >
          <PhoneField t={t} value={s.phone} autocomplete="tel-national" />
          <button type="submit">{t('auth.sendCode')}</button>
        </form>
      ) : (
        <form
          method="post"
          action={withNext('/register', s.next)}
          class="stack"
          aria-describedby={described(s)}
        >
          <input type="hidden" name="phone" value={s.phone ?? ''} />
          <CodeField t={t} />
          <label for="name">{t('auth.name')}</label>
          <input id="name" name="name" autocomplete="name" required value={s.name ?? ''} />
          <label for="idNumber">{t('auth.idNumber')}</label>
          <input id="idNumber" name="idNumber" autocomplete="off" required value={s.idNumber ?? ''} />
          <NewPasswordField t={t} label="auth.password" />
          <button type="submit">{t('auth.register.submit')}</button>
        </form>
      )}
    </Layout>
  );
}

export function LoginPage(props: {
  ctx: PageContext;
  state: FormState;
  mode: 'password' | 'code';
  /** P7.1 sign-in buttons of linked-account providers. */
  linked?: Child;
}) {
  const { t } = props.ctx;
  const s = props.state;
  const go = (path: string) => withNext(path, s.next);
  return (
    <Layout ctx={props.ctx} title={t('login.title')} area="portal">
      <h1>{t('login.title')}</h1>
      {s.ended ? <p role="status">{t('account.ended')}</p> : null}
      <ErrorLine error={s.error} />
      {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
      {props.mode === 'password' ? (
        <form method="post" action={go('/login')} class="stack" aria-describedby={described(s)}>
          <PhoneField t={t} value={s.phone} autocomplete="username" />
          <label for="password">{t('auth.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <PlaceField t={t} />
          <button type="submit">{t('auth.login.submit')}</button>
        </form>
      ) : (
        <form method="post" action={go('/login/code')} class="stack" aria-describedby={described(s)}>
          <PhoneField t={t} value={s.phone} autocomplete="username" />
          {s.codeSent ? (
            <>
              <CodeField t={t} />
              <PlaceField t={t} />
              <button type="submit">{t('auth.login.submit')}</button>
            </>
          ) : (
            <button type="submit" name="send" value="1">
              {t('auth.sendCode')}
            </button>
          )}
        </form>
      )}
      <div data-passkey="sign-in" data-next={s.next ?? '/me/access'} hidden>
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
      <script src="/static/passkey.js" defer></script>
      <script src="/static/location.js" defer></script>
      <p>
        {props.mode === 'password' ? (
          <a href={go('/login/code')}>{t('auth.login.withCode')}</a>
        ) : (
          <a href={go('/login')}>{t('auth.login.withPassword')}</a>
        )}
      </p>
      <p>
        <a href={go('/login/reset')}>{t('auth.login.forgot')}</a>
      </p>
      <p>
        <a href={go('/register')}>{t('auth.login.noAccount')}</a>
      </p>
      {props.linked}
    </Layout>
  );
}

export function ResetPage(props: { ctx: PageContext; state: FormState }) {
  const { t } = props.ctx;
  const s = props.state;
  return (
    <Layout ctx={props.ctx} title={t('auth.reset.title')} area="portal">
      <h1>{t('auth.reset.title')}</h1>
      <p>{t('auth.reset.intro')}</p>
      <ErrorLine error={s.error} />
      {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
      <form
        method="post"
        action={withNext('/login/reset', s.next)}
        class="stack"
        aria-describedby={described(s)}
      >
        <PhoneField t={t} value={s.phone} autocomplete="username" />
        {s.codeSent ? (
          <>
            <CodeField t={t} />
            <NewPasswordField t={t} label="auth.newPassword" />
            <button type="submit">{t('auth.reset.submit')}</button>
          </>
        ) : (
          <button type="submit" name="send" value="1">
            {t('auth.sendCode')}
          </button>
        )}
      </form>
    </Layout>
  );
}

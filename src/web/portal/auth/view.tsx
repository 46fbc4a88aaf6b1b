/** Registration and sign-in pages: plain forms, labelled fields, errors tied to their fields (web/forms). */
import type { Child } from 'hono/jsx';
import { Layout, type PageContext } from '../../layout.tsx';
import { withNext } from '../../http/return-address.ts';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';

export interface FormState {
  errors?: FieldError[] | undefined;
  phone?: string;
  name?: string;
  idNumber?: string;
  codeSent?: boolean;
  next?: string;
  /** The session ended while the person was posting a form (citizen-auth.ts). */
  ended?: boolean;
}

/** Registration: the phone, its code, then (the phone proved) an account or the details. */
export type RegisterStep = 'phone' | 'code' | 'has-account' | 'details';

export interface RegisterState extends FormState {
  step: RegisterStep;
  /** The proof of the number that the details form carries instead of the code. */
  proof?: string;
}

const PhoneField = (props: {
  ctx: PageContext;
  value?: string | undefined;
  autocomplete: string;
  errors?: FieldError[] | undefined;
}) => (
  <Field
    id="phone"
    label={props.ctx.t('auth.phone')}
    type="tel"
    inputmode="tel"
    autocomplete={props.autocomplete}
    required
    value={props.value ?? ''}
    errors={props.errors}
  />
);

const CodeField = (props: { ctx: PageContext; errors?: FieldError[] | undefined }) => (
  <Field
    id="code"
    label={props.ctx.t('auth.code')}
    inputmode="numeric"
    autocomplete="one-time-code"
    required
    errors={props.errors}
  />
);

/** P7.3 a spent or wrong code can be replaced right there (within the sending limits). */
const ResendButton = (props: { ctx: PageContext }) => (
  <button type="submit" name="send" value="1" formnovalidate class="secondary">
    {props.ctx.t('forms.code.resend')}
  </button>
);

const NewPasswordField = (props: {
  ctx: PageContext;
  label: 'auth.password' | 'auth.newPassword';
  errors?: FieldError[] | undefined;
}) => (
  <Field
    id="password"
    label={props.ctx.t(props.label)}
    type="password"
    autocomplete="new-password"
    required
    hint={props.ctx.t('auth.register.passwordHint')}
    errors={props.errors}
  />
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

export function RegisterPage(props: { ctx: PageContext; state: RegisterState }) {
  const { ctx } = props;
  const { t } = ctx;
  const s = props.state;
  return (
    <Layout ctx={ctx} title={t('auth.register.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={s.errors} />
      <h1>{t('auth.register.title')}</h1>
      {s.step === 'phone' ? (
        <>
          <p>{t('auth.register.intro')}</p>
          <form method="post" action={withNext('/register/code', s.next)} class="stack" novalidate>
            <PhoneField ctx={ctx} value={s.phone} autocomplete="tel-national" errors={s.errors} />
            <button type="submit">{t('auth.sendCode')}</button>
          </form>
        </>
      ) : null}
      {s.step === 'code' ? (
        <>
          {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
          <p>
            {t('forms.register.codeStep')} <strong>{s.phone}</strong>
          </p>
          <form method="post" action={withNext('/register/verify', s.next)} class="stack" novalidate>
            <input type="hidden" name="phone" value={s.phone ?? ''} />
            <CodeField ctx={ctx} errors={s.errors} />
            <button type="submit">{t('forms.register.verify')}</button>
            <ResendButton ctx={ctx} />
          </form>
          <p>
            <a href={withNext('/register', s.next)}>{t('forms.register.otherNumber')}</a>
          </p>
        </>
      ) : null}
      {s.step === 'has-account' ? (
        <div class="notice" role="status">
          <p>{t('forms.register.hasAccount')}</p>
          <p>
            <a href={withNext('/login', s.next)}>{t('forms.register.signIn')}</a>
          </p>
          <p>
            <a href={withNext('/login/reset', s.next)}>{t('forms.register.reset')}</a>
          </p>
        </div>
      ) : null}
      {s.step === 'details' ? (
        <>
          <p role="status">{t('forms.register.detailsStep')}</p>
          <form method="post" action={withNext('/register', s.next)} class="stack" novalidate>
            <input type="hidden" name="phone" value={s.phone ?? ''} />
            <input type="hidden" name="proof" value={s.proof ?? ''} />
            <Field
              id="name"
              label={t('auth.name')}
              autocomplete="name"
              required
              value={s.name ?? ''}
              errors={s.errors}
            />
            <Field
              id="idNumber"
              label={t('auth.idNumber')}
              autocomplete="off"
              required
              value={s.idNumber ?? ''}
              errors={s.errors}
              attrs={{ spellcheck: 'false' }}
            />
            <NewPasswordField ctx={ctx} label="auth.password" errors={s.errors} />
            <button type="submit">{t('auth.register.submit')}</button>
          </form>
        </>
      ) : null}
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
  const { ctx } = props;
  const { t } = ctx;
  const s = props.state;
  const go = (path: string) => withNext(path, s.next);
  return (
    <Layout ctx={ctx} title={t('login.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={s.errors} />
      <h1>{t('login.title')}</h1>
      {s.ended ? <p role="status">{t('account.ended')}</p> : null}
      {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
      {props.mode === 'password' ? (
        <form method="post" action={go('/login')} class="stack" novalidate>
          <PhoneField ctx={ctx} value={s.phone} autocomplete="username" errors={s.errors} />
          <Field
            id="password"
            label={t('auth.password')}
            type="password"
            autocomplete="current-password"
            required
            errors={s.errors}
          />
          <PlaceField t={t} />
          <button type="submit">{t('auth.login.submit')}</button>
        </form>
      ) : (
        <form method="post" action={go('/login/code')} class="stack" novalidate>
          <PhoneField ctx={ctx} value={s.phone} autocomplete="username" errors={s.errors} />
          {s.codeSent ? (
            <>
              <CodeField ctx={ctx} errors={s.errors} />
              <PlaceField t={t} />
              <button type="submit">{t('auth.login.submit')}</button>
              <ResendButton ctx={ctx} />
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
        <a href={withNext('/login/reset', s.next)}>{t('auth.login.forgot')}</a>
      </p>
      <p>
        <a href="/login/phone-lost">{t('phoneLost.link')}</a>
      </p>
      <p>
        <a href={withNext('/register', s.next)}>{t('auth.login.noAccount')}</a>
      </p>
      {props.linked}
    </Layout>
  );
}

export function ResetPage(props: { ctx: PageContext; state: FormState }) {
  const { ctx } = props;
  const { t } = ctx;
  const s = props.state;
  return (
    <Layout ctx={ctx} title={t('auth.reset.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={s.errors} />
      <h1>{t('auth.reset.title')}</h1>
      <p>{t('auth.reset.intro')}</p>
      {s.codeSent ? <p role="status">{t('auth.codeSent')}</p> : null}
      <form method="post" action={withNext('/login/reset', s.next)} class="stack" novalidate>
        <PhoneField ctx={ctx} value={s.phone} autocomplete="username" errors={s.errors} />
        {s.codeSent ? (
          <>
            <CodeField ctx={ctx} errors={s.errors} />
            <NewPasswordField ctx={ctx} label="auth.newPassword" errors={s.errors} />
            <button type="submit">{t('auth.reset.submit')}</button>
            <ResendButton ctx={ctx} />
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

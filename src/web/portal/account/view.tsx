/**
 * P8.1.view "My account": what identifies the person, masked, with where to change each;
 * P8.1.correct P8.3 the password and mobile number pages.
 */
import { RetentionSchedule } from '../privacy/schedule.tsx';
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Contact } from '../me/view.tsx';

export interface AccountView {
  name?: string | undefined;
  /** Masked: `1101**********1234`. */
  idNumber?: string | undefined;
  /** Masked: `138****5678`. */
  phone?: string | undefined;
  email?: string | undefined;
  level: number;
  /** How the level was reached, newest first: already in the page's language. */
  how: string[];
  since: string;
}

const others: [string, MessageKey][] = [
  ['/me/access', 'me.access.title'],
  ['/me/consents', 'me.consents.title'],
  ['/me/security', 'me.security.title'],
  ['/me/email', 'email.link'],
  ['/me/verify', 'verify.title'],
  ['/me/deliveries', 'delivery.mine.title'],
  ['/me/companies', 'nav.companies'],
  ['/me/inbox', 'inbox.nav'],
  ['/me/notifications', 'prefs.title'],
  ['/me/push', 'push.title'],
  ['/me/requests', 'rights.title'],
  ['/me/export', 'export.title'],
  ['/me/close', 'close.link'],
];

export function AccountPage(props: { ctx: PageContext; v: AccountView; notice?: string | undefined }) {
  const { t } = props.ctx;
  const v = props.v;
  const row = (label: MessageKey, value: string | undefined, id: string, change?: [string, MessageKey]) => (
    <div class="row">
      <dt>{t(label)}</dt>
      <dd id={id}>{value ?? t('account.me.notGiven')}</dd>
      {change ? (
        <dd>
          <a href={change[0]}>{t(change[1])}</a>
        </dd>
      ) : null}
    </div>
  );
  return (
    <Layout ctx={props.ctx} title={t('account.me.title')} area="portal">
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <h1>{t('account.me.title')}</h1>
      <p>{t('account.me.intro')}</p>
      <dl class="summary">
        {row('account.me.name', v.name, 'account-name', ['/me/verify', 'account.me.changeName'])}
        {row('account.me.idNumber', v.idNumber, 'account-id-number', ['/me/verify', 'account.me.changeName'])}
        {row('account.me.phone', v.phone, 'account-phone', ['/me/phone', 'account.me.changePhone'])}
        {v.email
          ? row('account.me.email', v.email, 'account-email', ['/me/email', 'account.me.changeEmail'])
          : row('account.me.email', t('account.me.emailNone'), 'account-email', [
              '/me/email',
              'account.me.emailAdd',
            ])}
        {row('account.me.password', t('account.me.passwordSet'), 'account-password', [
          '/me/password',
          'account.me.changePassword',
        ])}
        {row('account.me.level', t(`verify.level.${v.level}` as MessageKey), 'account-level', [
          '/me/verify',
          'verify.title',
        ])}
        <div class="row">
          <dt>{t('account.me.how')}</dt>
          <dd id="account-how">
            <ul>
              {v.how.map((h) => (
                <li>{h}</li>
              ))}
            </ul>
          </dd>
        </div>
        {row('account.me.since', v.since, 'account-since')}
      </dl>
      <h2>{t('account.me.other')}</h2>
      <ul class="links">
        {others.map(([href, key]) => (
          <li>
            <a href={href}>{t(key)}</a>
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('retention.schedule.title')}</summary>
        <RetentionSchedule ctx={props.ctx} id="my-retention" />
      </details>
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

export function PasswordPage(props: {
  ctx: PageContext;
  /** The session proved the person within 5 minutes: no current password asked. */
  fresh: boolean;
  errors?: FieldError[] | undefined;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('account.password.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={props.errors} />
      <h1>{t('account.password.title')}</h1>
      <p>{t('account.password.intro')}</p>
      {/* Passwords are never typed back into the page: a refusal shows empty fields. */}
      <form method="post" action="/me/password" class="stack">
        {props.fresh ? (
          <p class="muted">{t('account.password.fresh')}</p>
        ) : (
          <Field
            id="current"
            name="current"
            label={t('account.password.current')}
            type="password"
            autocomplete="current-password"
            errors={props.errors}
          />
        )}
        <Field
          id="password"
          name="password"
          label={t('account.password.new')}
          hint={t('account.password.newHint')}
          type="password"
          autocomplete="new-password"
          errors={props.errors}
        />
        <button type="submit">{t('account.password.submit')}</button>
      </form>
      {props.fresh ? null : (
        <form method="post" action="/me/password/step-up" class="stack">
          <p>{t('account.password.forgot')}</p>
          <button type="submit" class="secondary">
            {t('account.password.other')}
          </button>
        </form>
      )}
      <p>
        <a href="/me">{t('account.me.title')}</a>
      </p>
    </Layout>
  );
}

export interface PhoneView {
  /** The current number, masked. */
  current?: string | undefined;
  /** Step 2: a code went to this new number (as typed, normalised). */
  sentTo?: string | undefined;
  /** Step 3: the new number is proven; the proof travels with the form. */
  proven?: { phone: string; proof: string; oldSent: boolean; factors: boolean } | undefined;
  typed?: string | undefined;
  errors?: FieldError[] | undefined;
}

export function PhonePage(props: { ctx: PageContext; v: PhoneView }) {
  const { t } = props.ctx;
  const v = props.v;
  const restart = (
    <p>
      <a href="/me/phone">{t('account.phone.restart')}</a>
    </p>
  );
  let step;
  if (v.proven) {
    const p = v.proven;
    const hidden = (
      <>
        <input type="hidden" name="phone" value={p.phone} />
        <input type="hidden" name="proof" value={p.proof} />
      </>
    );
    step = (
      <>
        <p>
          {t('account.phone.proven')} <strong id="new-phone">{p.phone}</strong>
        </p>
        <h2>{t('account.phone.second')}</h2>
        <form method="post" action="/me/phone/old-code" class="stack">
          {hidden}
          {p.oldSent ? (
            <p class="notice" role="status">
              {t('account.phone.oldSent')}
            </p>
          ) : null}
          <button type="submit" class="secondary">
            {p.oldSent ? t('reauth.sms.again') : t('account.phone.oldSend')}
          </button>
        </form>
        <form method="post" action="/me/phone/confirm" class="stack">
          {hidden}
          <Field
            id="oldCode"
            name="oldCode"
            label={t('account.phone.oldCode')}
            inputmode="numeric"
            autocomplete="one-time-code"
            errors={v.errors}
          />
          {p.factors ? (
            <Field
              id="factor"
              name="factor"
              label={t('account.phone.factor')}
              autocomplete="one-time-code"
              errors={v.errors}
            />
          ) : null}
          <button type="submit">{t('account.phone.confirm')}</button>
        </form>
        {restart}
      </>
    );
  } else if (v.sentTo) {
    step = (
      <>
        <form method="post" action="/me/phone/verify" class="stack">
          <p>
            {t('account.phone.sentTo')} <strong id="new-phone">{v.sentTo}</strong>
          </p>
          <input type="hidden" name="phone" value={v.sentTo} />
          <Field
            id="newCode"
            name="newCode"
            label={t('account.phone.code')}
            inputmode="numeric"
            autocomplete="one-time-code"
            errors={v.errors}
          />
          <button type="submit">{t('account.phone.continue')}</button>
        </form>
        <form method="post" action="/me/phone" class="stack">
          <input type="hidden" name="phone" value={v.sentTo} />
          <button type="submit" class="secondary">
            {t('reauth.sms.again')}
          </button>
        </form>
        {restart}
      </>
    );
  } else {
    step = (
      <form method="post" action="/me/phone" class="stack">
        <Field
          id="phone"
          name="phone"
          label={t('account.phone.new')}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          value={v.typed}
          errors={v.errors}
        />
        <button type="submit">{t('account.phone.send')}</button>
      </form>
    );
  }
  return (
    <Layout ctx={props.ctx} title={t('account.phone.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={v.errors} />
      <h1>{t('account.phone.title')}</h1>
      <p>{t('account.phone.intro')}</p>
      {v.current ? (
        <p>
          {t('account.phone.current')}: <strong id="current-phone">{v.current}</strong>
        </p>
      ) : null}
      {step}
      <p>
        <a href="/me">{t('account.me.title')}</a>
      </p>
    </Layout>
  );
}

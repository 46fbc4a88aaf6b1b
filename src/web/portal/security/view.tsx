/** P7.3 the person's second factors and login alerts (sections of /me/security), TOTP enrolment, recovery codes. */
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import type { NameProblem } from '../../../modules/session/index.ts';
import { PASSKEY_NAME_MAX } from '../../../modules/signin/index.ts';

export interface FactorsView {
  totp: 'active' | 'pending' | null;
  passkeys: { id: string; label: string; added: string; lastUsed: string | null }[];
  recoveryCodesLeft: number;
}

export interface AlertRow {
  when: string;
  device: string;
  reasons: string[];
  secondStep: string | null;
  /** P7.3 whether the alert's SMS went (read from the outbox). */
  sms: 'sent' | 'pending' | 'failed';
}

export function FactorsSection(props: { ctx: PageContext; f: FactorsView; notice?: string | undefined }) {
  const { t } = props.ctx;
  const f = props.f;
  return (
    <section aria-labelledby="factors-title">
      <h2 id="factors-title">{t('security.factors.title')}</h2>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>{t('security.factors.intro')}</p>
      <p class="muted" id="remove-effect">
        {t('security.remove.effect')}
      </p>

      <h3>{t('security.passkeys.title')}</h3>
      {f.passkeys.length === 0 ? <p>{t('security.passkeys.none')}</p> : null}
      <ul class="factors">
        {f.passkeys.map((p) => (
          <li>
            <strong>{p.label}</strong>
            <span class="muted">
              {' '}
              · {t('security.passkeys.added')} {p.added} · {t('security.passkeys.lastUsed')}{' '}
              {p.lastUsed ?? t('security.passkeys.never')}
            </span>
            <a
              href={`/me/security/passkeys/${p.id}/rename`}
              aria-label={`${t('passkeys.rename')}: ${p.label}`}
            >
              {t('passkeys.rename')}
            </a>
            <form method="post" action={`/me/security/passkeys/${p.id}/remove`}>
              <button
                type="submit"
                aria-label={`${t('security.passkeys.remove')}: ${p.label}`}
                aria-describedby="remove-effect"
              >
                {t('security.passkeys.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <div data-passkey="register" data-next="/me/security?notice=passkey" hidden class="stack">
        <label for="passkey-label">{t('security.passkeys.label')}</label>
        <input id="passkey-label" name="label" maxlength={60} value="Passkey" />
        <button type="button">{t('security.passkeys.add')}</button>
        <p
          class="error"
          role="alert"
          data-error
          data-fail={t('security.passkeys.failed')}
          data-needs-name={t('security.passkeys.needsName')}
          hidden
        ></p>
        <div data-codes hidden>
          <p role="status">{t('security.passkeys.done')}</p>
          <p>{t('security.recovery.show')}</p>
          <ol class="codes"></ol>
          <a href="/me/security">{t('security.recovery.done')}</a>
        </div>
      </div>
      <noscript>
        <p class="muted">{t('security.passkeys.needsJs')}</p>
      </noscript>
      <script src="/static/passkey.js" defer></script>

      <h3>{t('security.totp.title')}</h3>
      <p>{f.totp === 'active' ? t('security.totp.on') : t('security.totp.off')}</p>
      {f.totp === 'active' ? (
        <form method="post" action="/me/security/totp/remove">
          <button type="submit" aria-describedby="remove-effect">
            {t('security.totp.remove')}
          </button>
        </form>
      ) : (
        <form method="post" action="/me/security/totp">
          <button type="submit">{t('security.totp.setup')}</button>
        </form>
      )}

      {f.passkeys.length > 0 || f.totp === 'active' ? (
        <>
          <h3>{t('security.recovery.title')}</h3>
          <p>
            {t('security.recovery.left')}: <strong data-recovery-left>{f.recoveryCodesLeft}</strong>
          </p>
          <form method="post" action="/me/security/recovery-codes">
            <button type="submit">{t('security.recovery.regenerate')}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}

export function AlertsSection(props: { ctx: PageContext; rows: AlertRow[] }) {
  const { t } = props.ctx;
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('security.alerts.title')}</h2>
      <p>{t('security.alerts.intro')}</p>
      {props.rows.length === 0 ? (
        <p>{t('security.alerts.none')}</p>
      ) : (
        <table class="alerts">
          <thead>
            <tr>
              <th scope="col">{t('security.alerts.when')}</th>
              <th scope="col">{t('security.alerts.device')}</th>
              <th scope="col">{t('security.alerts.why')}</th>
              <th scope="col">{t('security.alerts.step')}</th>
              <th scope="col">{t('security.alerts.sms')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((a) => (
              <tr>
                <td data-label={t('security.alerts.when')}>{a.when}</td>
                <td data-label={t('security.alerts.device')}>{a.device}</td>
                <td data-label={t('security.alerts.why')}>{a.reasons.join('; ')}</td>
                <td data-label={t('security.alerts.step')}>{a.secondStep ?? t('security.method.none')}</td>
                <td data-label={t('security.alerts.sms')}>{t(`security.alerts.sms.${a.sms}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export const methodLabel = (t: PageContext['t'], m: string | null) =>
  m ? (t(`security.method.${m}` as MessageKey) ?? m) : null;

export function TotpEnrolPage(props: {
  ctx: PageContext;
  secret: string;
  uri: string;
  qr: string;
  error?: string | undefined;
}) {
  const { t } = props.ctx;
  const errors = props.error ? [{ field: 'totp-code', message: props.error }] : undefined;
  return (
    <Layout ctx={props.ctx} title={t('security.totp.setup')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={errors} />
      <h1>{t('security.totp.setup')}</h1>
      <p>{t('security.totp.intro')}</p>
      <img src={props.qr} alt={t('security.totp.qr')} width="200" height="200" />
      <dl class="facts">
        <dt>{t('security.totp.key')}</dt>
        <dd>
          <code data-totp-secret>{props.secret}</code>
        </dd>
        <dt>{t('security.totp.uri')}</dt>
        <dd>
          <a href={props.uri}>{props.uri}</a>
        </dd>
      </dl>
      <form method="post" action="/me/security/totp/confirm" class="stack" novalidate>
        <p>{t('security.totp.then')}</p>
        <Field
          id="totp-code"
          name="code"
          label={t('security.totp.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          errors={errors}
        />
        <button type="submit">{t('security.totp.confirm')}</button>
      </form>
    </Layout>
  );
}

/**
 * Shown once: the codes as a <pre> block (selecting it copies them, no script needed), a
 * download that posts them back for a text file, and a print stylesheet that prints the
 * codes without the page's menus (site.css, `@media print`).
 */
export function RecoveryCodesPage(props: { ctx: PageContext; codes: string[]; notice?: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('security.recovery.title')} area="portal">
      <h1>{t('security.recovery.title')}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>{t('security.recovery.show')}</p>
      <p>
        <strong>{t('recovery.keep')}</strong>
      </p>
      <p class="no-print">{t('recovery.copy')}</p>
      <pre class="codes" data-recovery-codes aria-label={t('security.recovery.title')} tabindex={0}>
        {props.codes.join('\n')}
      </pre>
      <form method="post" action="/me/security/recovery-codes/download" class="no-print">
        {props.codes.map((c) => (
          <input type="hidden" name="code" value={c} />
        ))}
        <button type="submit">{t('recovery.download')}</button>
      </form>
      <p class="muted no-print">{t('recovery.print')}</p>
      <p class="no-print">
        <a href="/me/security">{t('security.recovery.done')}</a>
      </p>
    </Layout>
  );
}

export function RecoveryCodesStalePage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('security.recovery.title')} area="portal">
      <h1>{t('security.recovery.title')}</h1>
      <p role="alert">{t('recovery.stale')}</p>
      <p>
        <a href="/me/security">{t('me.security.title')}</a>
      </p>
    </Layout>
  );
}

const nameProblems: Record<NameProblem, MessageKey> = {
  empty: 'name.error.empty',
  'too-long': 'passkeys.name.tooLong',
  chars: 'name.error.chars',
};

/** P7.3 renaming a passkey; a refused name stays in the field with its reason beside it. */
export function RenamePasskeyPage(props: {
  ctx: PageContext;
  id: string;
  label: string;
  typed?: string | undefined;
  problem?: NameProblem | undefined;
}) {
  const { t } = props.ctx;
  const error = props.problem ? t(nameProblems[props.problem]) : undefined;
  return (
    <Layout ctx={props.ctx} title={t('passkeys.rename.title')} area="portal">
      {error ? (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h2 id="error-summary-title">{t('secpages.problem')}</h2>
          <ul>
            <li>
              <a href="#passkey-name">{error}</a>
            </li>
          </ul>
        </div>
      ) : null}
      <h1>{t('passkeys.rename.title')}</h1>
      <form method="post" action={`/me/security/passkeys/${props.id}/rename`} class="stack" novalidate>
        <label for="passkey-name">{t('devices.name')}</label>
        <p class="muted" id="passkey-name-hint">
          {t('passkeys.rename.hint')}
        </p>
        {error ? (
          <p class="error" id="passkey-name-error">
            {error}
          </p>
        ) : null}
        <input
          id="passkey-name"
          name="label"
          value={props.typed ?? props.label}
          maxlength={PASSKEY_NAME_MAX}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'passkey-name-hint passkey-name-error' : 'passkey-name-hint'}
          required
        />
        <button type="submit">{t('passkeys.rename.save')}</button>
      </form>
      <p>
        <a href="/me/security">{t('confirm.cancel')}</a>
      </p>
    </Layout>
  );
}

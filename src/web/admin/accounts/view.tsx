import type { ClosureView } from '../../../modules/closure/index.ts';
import type { AccountSummary, LookupQuery } from '../../../modules/support/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export interface AccountsView {
  query?: Partial<LookupQuery>;
  found?: AccountSummary;
  unlocked?: boolean;
  /** P8.5.cancel a closure waiting for this account (recorded now, or before). */
  closure?: ClosureView | undefined;
  closureRecorded?: boolean;
  error?: string;
}

export function AccountsPage(props: { ctx: PageContext; view: AccountsView }) {
  const { t, locale } = props.ctx;
  const { query = {}, found, error } = props.view;
  const time = (d: Date) =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(d);
  return (
    <Layout ctx={props.ctx} title={t('admin.accounts.title')} area="admin">
      <h1>{t('admin.accounts.title')}</h1>
      <p class="muted">{t('admin.accounts.note')}</p>
      {error ? (
        <p class="error" role="alert" id="lookup-error">
          {error}
        </p>
      ) : null}
      {props.view.unlocked ? (
        <p class="notice" role="status">
          {t('admin.accounts.unlocked')}
        </p>
      ) : null}
      <form
        method="post"
        action="/admin/accounts"
        class="stack"
        aria-describedby={error ? 'lookup-error' : undefined}
      >
        <fieldset>
          <legend>{t('admin.accounts.by')}</legend>
          {(['phone', 'id_number'] as const).map((by) => (
            <label>
              <input type="radio" name="by" value={by} checked={(query.by ?? 'phone') === by} />{' '}
              {t(`admin.accounts.by.${by}`)}
            </label>
          ))}
        </fieldset>
        <label for="value">{t('admin.accounts.value')}</label>
        <input id="value" name="value" required autocomplete="off" value={query.value ?? ''} />
        <label for="ticket">{t('admin.accounts.ticket')}</label>
        <input id="ticket" name="ticket" required minlength={3} maxlength={100} value={query.ticket ?? ''} />
        <button type="submit">{t('admin.accounts.find')}</button>
      </form>
      {found ? (
        <section aria-labelledby="account-title">
          <h2 id="account-title">{found.name ?? found.subjectId}</h2>
          <dl class="facts">
            <dt>{t('admin.accounts.name')}</dt>
            <dd>{found.name ?? ''}</dd>
            <dt>{t('admin.accounts.phone')}</dt>
            <dd>{found.phoneMasked ?? ''}</dd>
            <dt>{t('admin.accounts.level')}</dt>
            <dd>L{found.assuranceLevel}</dd>
            <dt>{t('admin.accounts.created')}</dt>
            <dd>{time(found.createdAt)}</dd>
            <dt>{t('admin.accounts.sessions')}</dt>
            <dd>{found.activeSessions}</dd>
            <dt>{t('admin.accounts.failed')}</dt>
            <dd>{found.failedLogins}</dd>
            <dt>{t('admin.accounts.locked')}</dt>
            <dd>{found.lockedUntil ? time(found.lockedUntil) : t('admin.accounts.notLocked')}</dd>
          </dl>
          {found.lockedUntil || found.failedLogins > 0 ? (
            <form method="post" action={`/admin/accounts/${found.subjectId}/unlock`}>
              <input type="hidden" name="ticket" value={query.ticket ?? ''} />
              <button type="submit">{t('admin.accounts.unlock')}</button>
            </form>
          ) : null}
          <h3>{t('admin.accounts.close')}</h3>
          {props.view.closure ? (
            <p role="status" id="closure-waiting">
              {props.view.closureRecorded ? `${t('admin.accounts.closeRecorded')} ` : ''}
              {t('admin.accounts.closeWaiting').replace('{day}', props.view.closure.closesDay)}
            </p>
          ) : (
            <form method="post" action={`/admin/accounts/${found.subjectId}/close`} class="stack">
              <p class="muted">{t('admin.accounts.closeNote')}</p>
              <input type="hidden" name="ticket" value={query.ticket ?? ''} />
              <div class="checkbox">
                <input type="checkbox" id="close-checked" name="checked" value="yes" required />
                <label for="close-checked">{t('admin.accounts.closeChecked')}</label>
              </div>
              <button type="submit" class="warning">
                {t('admin.accounts.closeSubmit')}
              </button>
            </form>
          )}
        </section>
      ) : null}
    </Layout>
  );
}

/** /me/activity "Account activity" (P8.1.view, P7.3): what happened on the account, and "this wasn't me". */
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';

/** One entry as the page shows it: every word already in the page's language. */
export interface ActivityRow {
  entryId: number | null;
  when: string;
  what: string;
  details: string[];
  succeeded: boolean;
  reportable: boolean;
  reported: boolean;
}

export function ActivityPage(props: {
  ctx: PageContext;
  rows: ActivityRow[];
  kinds: { value: string; label: string }[];
  kind: string;
  newer?: string | undefined;
  older?: string | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('activity.title')} area="portal">
      <MyDataNav ctx={ctx} current="activity" />
      <h1>{t('activity.title')}</h1>
      <p>{t('activity.intro')}</p>
      <form method="get" action="/me/activity" class="filter">
        <div class="field">
          <label for="activity-kind">{t('activity.filter.kind')}</label>
          <select id="activity-kind" name="kind">
            {props.kinds.map((k) => (
              <option value={k.value} selected={k.value === props.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('activity.filter.apply')}</button>
      </form>
      {props.rows.length === 0 ? (
        <p>{t('activity.none')}</p>
      ) : (
        <table class="activity">
          <thead>
            <tr>
              <th scope="col">{t('activity.when')}</th>
              <th scope="col">{t('activity.what')}</th>
              <th scope="col">{t('activity.details')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('activity.notMe')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-entry={r.entryId ?? undefined} data-outcome={r.succeeded ? 'ok' : 'failed'}>
                <td data-label={t('activity.when')}>{r.when}</td>
                <td data-label={t('activity.what')}>{r.what}</td>
                <td data-label={t('activity.details')}>{r.details.join(', ')}</td>
                <td data-label={t('activity.notMe')}>
                  {r.reported ? (
                    <span class="muted">{t('activity.action.activity.reported_not_me')}</span>
                  ) : r.reportable && r.entryId !== null ? (
                    <form method="post" action={`/me/activity/${r.entryId}/not-me`}>
                      <button type="submit" class="danger">
                        {t('activity.notMe')}
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.newer || props.older ? (
        <nav class="paging" aria-label={t('activity.paging')}>
          <ul>
            {props.newer ? (
              <li>
                <a href={props.newer} rel="prev">
                  {t('activity.newer')}
                </a>
              </li>
            ) : null}
            {props.older ? (
              <li>
                <a href={props.older} rel="next">
                  {t('activity.older')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}

/** After "this wasn't me": the person is signed out everywhere; what was done and what next. */
export function ReportedPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('activity.reported.title')} area="portal">
      <h1>{t('activity.reported.title')}</h1>
      <p role="status">{t('activity.reported.done')}</p>
      <p>{t('activity.reported.case')}</p>
      <p>
        <a href="/login/reset">{t('activity.reported.next')}</a>
      </p>
    </Layout>
  );
}

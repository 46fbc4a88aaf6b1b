/** The console's usage statistics (P4 "improving services"): daily counts, no one's id. */
import type { DailyUsage } from '../../../modules/usage/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export function UsagePage(props: { ctx: PageContext; rows: DailyUsage[] }) {
  const { ctx, rows } = props;
  const { t } = ctx;
  const n = new Intl.NumberFormat(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('admin.usage.title')} area="admin">
      <h1>{t('admin.usage.title')}</h1>
      <p>{t('admin.usage.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('admin.usage.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.usage.day')}</th>
              <th scope="col">{t('admin.usage.kind')}</th>
              <th scope="col">{t('admin.usage.name')}</th>
              <th scope="col">{t('admin.usage.events')}</th>
              <th scope="col">{t('admin.usage.visitors')}</th>
              <th scope="col">{t('admin.usage.signedIn')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-day={r.day} data-name={r.name}>
                <td data-label={t('admin.usage.day')}>{r.day}</td>
                <td data-label={t('admin.usage.kind')}>{t(`admin.usage.kind.${r.kind}`)}</td>
                <td data-label={t('admin.usage.name')}>
                  <code>{r.name}</code>
                </td>
                <td data-label={t('admin.usage.events')}>{n.format(r.events)}</td>
                <td data-label={t('admin.usage.visitors')}>{n.format(r.visitors)}</td>
                <td data-label={t('admin.usage.signedIn')}>{n.format(r.signedIn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

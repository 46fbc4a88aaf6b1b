import type { NoticeProgress, OutboxOverview } from '../../../modules/notify/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { timeIn } from '../refusal.tsx';

export interface DeliveriesView {
  overview: OutboxOverview;
  key?: string | undefined;
  progress?: NoticeProgress | undefined;
  unknownKey?: boolean;
}

type Counts = NoticeProgress['byChannel'];

/** Per channel and state, as a person reads it ("E-mail: sent 3, failed 1"). */
export function ProgressList(props: { ctx: PageContext; byChannel: Counts }) {
  const { t, locale } = props.ctx;
  const count = new Intl.NumberFormat(locale);
  if (props.byChannel.length === 0) return <span>{t('console.none')}</span>;
  return (
    <ul class="progress">
      {props.byChannel.map((c) => (
        <li data-channel={c.channel} data-state={c.state}>
          {t(`console.channel.${c.channel}`)}: {t(`console.delivery.${c.state}`)} {count.format(c.n)}
        </li>
      ))}
    </ul>
  );
}

export function DeliveriesPage(props: { ctx: PageContext; view: DeliveriesView }) {
  const { t, locale } = props.ctx;
  const { overview, progress } = props.view;
  const time = timeIn(locale);
  const count = new Intl.NumberFormat(locale);
  return (
    <Layout ctx={props.ctx} title={t('admin.deliveries.title')} area="admin">
      <h1>{t('admin.deliveries.title')}</h1>
      <p class="muted">{t('admin.deliveries.note')}</p>

      <section aria-labelledby="channels-title">
        <h2 id="channels-title">{t('admin.deliveries.byChannel')}</h2>
        {overview.byChannel.length === 0 ? <p>{t('console.none')}</p> : null}
        {overview.byChannel.length > 0 ? (
          <table id="by-channel">
            <thead>
              <tr>
                <th scope="col">{t('admin.deliveries.col.channel')}</th>
                <th scope="col">{t('admin.deliveries.col.state')}</th>
                <th scope="col">{t('admin.deliveries.col.count')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.byChannel.map((r) => (
                <tr data-channel={r.channel} data-state={r.state}>
                  <td>{t(`console.channel.${r.channel}`)}</td>
                  <td>{t(`console.delivery.${r.state}`)}</td>
                  <td>{count.format(r.n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {overview.oldestDue.length > 0 ? (
          <table id="oldest">
            <caption>{t('admin.deliveries.oldest')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.deliveries.col.channel')}</th>
                <th scope="col">{t('admin.deliveries.col.since')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.oldestDue.map((r) => (
                <tr>
                  <td>{t(`console.channel.${r.channel}`)}</td>
                  <td>{time(new Date(r.dueAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section aria-labelledby="failures-title">
        <h2 id="failures-title">{t('admin.deliveries.failures')}</h2>
        {overview.failures.length === 0 ? <p>{t('console.none')}</p> : null}
        {overview.failures.length > 0 ? (
          <table id="failures">
            <thead>
              <tr>
                <th scope="col">{t('admin.deliveries.col.channel')}</th>
                <th scope="col">{t('admin.deliveries.col.state')}</th>
                <th scope="col">{t('admin.deliveries.col.reason')}</th>
                <th scope="col">{t('admin.deliveries.col.count')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.failures.map((r) => (
                <tr data-channel={r.channel} data-state={r.state}>
                  <td>{t(`console.channel.${r.channel}`)}</td>
                  <td>{t(`console.delivery.${r.state}`)}</td>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td>{count.format(r.n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section aria-labelledby="notices-title">
        <h2 id="notices-title">{t('admin.deliveries.notices')}</h2>
        <form method="get" action="/admin/deliveries" class="stack">
          <label for="key">{t('admin.deliveries.find')}</label>
          <input id="key" name="key" maxlength={200} value={props.view.key ?? ''} />
          <button type="submit">{t('admin.deliveries.show')}</button>
        </form>
        {props.view.unknownKey ? (
          <p class="error" role="alert">
            {t('admin.deliveries.unknownKey')}
          </p>
        ) : null}
        {progress ? (
          <div id="notice-progress" class="stack">
            <p>
              <code>{props.view.key}</code>{' '}
              {progress.drill ? <strong class="badge">{t('console.drill')}</strong> : null}{' '}
              {t('admin.deliveries.col.people')}: {count.format(progress.people)}
            </p>
            <ProgressList ctx={props.ctx} byChannel={progress.byChannel} />
          </div>
        ) : null}
        {overview.notices.length > 0 ? (
          <table id="notices">
            <thead>
              <tr>
                <th scope="col">{t('admin.deliveries.col.key')}</th>
                <th scope="col">{t('admin.deliveries.col.created')}</th>
                <th scope="col">{t('admin.deliveries.col.people')}</th>
                <th scope="col">{t('admin.deliveries.col.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.notices.map((n) => (
                <tr>
                  <td>
                    <a href={`/admin/deliveries?key=${encodeURIComponent(n.key)}`}>
                      <code>{n.key}</code>
                    </a>{' '}
                    {n.drill ? <strong class="badge">{t('console.drill')}</strong> : null}
                  </td>
                  <td>{time(new Date(n.createdAt))}</td>
                  <td>{count.format(n.people)}</td>
                  <td>
                    <ProgressList ctx={props.ctx} byChannel={n.byChannel} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </Layout>
  );
}

/** /me/inbox: the person's messages, newest first, read or unread, in their language. */
import type { InboxEntry } from '../../../modules/notify/index.ts';
import { Layout, unreadLabel, type PageContext } from '../../layout.tsx';

const when = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(d);

function Deliveries(props: { ctx: PageContext; entry: InboxEntry }) {
  const { t } = props.ctx;
  const ds = props.entry.deliveries;
  return (
    <p class="muted">
      {t('inbox.sentBy')}:{' '}
      {ds.length === 0
        ? t('inbox.inboxOnly')
        : ds.map((d) => `${t(`channel.${d.channel}`)} (${t(`inbox.state.${d.state}`)})`).join(', ')}
    </p>
  );
}

export function InboxPage(props: {
  ctx: PageContext;
  entries: InboxEntry[];
  unread: number;
  /** The cursor of the next (older) page, when there is one. */
  older: string | undefined;
  /** This page's cursor (absent on the newest page). */
  before: string | undefined;
  opened: string | undefined;
  status?: string | undefined;
}) {
  const { ctx, entries } = props;
  const { t } = ctx;
  const here = props.before ? `?before=${encodeURIComponent(props.before)}` : '';
  return (
    <Layout ctx={ctx} title={t('inbox.title')} area="portal">
      <h2>{t('inbox.title')}</h2>
      <p>{t('inbox.intro')}</p>
      {props.status ? (
        <p class="notice" role="status">
          {props.status}
        </p>
      ) : null}
      <p>
        <a href="/me/notifications">{t('inbox.settings')}</a>
      </p>
      {props.unread > 0 ? (
        <form method="post" action={`/me/inbox/read${here}`} class="stack">
          <input type="hidden" name="id" value="all" />
          <p class="muted">{unreadLabel(ctx, props.unread)}</p>
          <button type="submit">{t('inbox.markAll')}</button>
        </form>
      ) : null}
      {entries.length === 0 ? <p>{t('inbox.empty')}</p> : <p class="muted">{t('inbox.openHint')}</p>}
      <ol class="inbox-list">
        {entries.map((e) => (
          <li
            class={`inbox-entry ${e.read ? 'is-read' : 'is-unread'}`}
            id={`m-${e.id}`}
            aria-current={props.opened === e.id ? 'true' : undefined}
          >
            <p class="inbox-title">
              <span class="inbox-state">{e.read ? t('inbox.isRead') : t('inbox.isUnread')}</span> · {e.title}
            </p>
            <p class="muted">
              <time datetime={e.at.toISOString()}>{when(ctx, e.at)}</time>
            </p>
            {e.read ? (
              <>
                <p class="inbox-text">{e.text}</p>
                <Deliveries ctx={ctx} entry={e} />
              </>
            ) : (
              <form method="post" action={`/me/inbox/read${here}`}>
                <input type="hidden" name="id" value={e.id} />
                <button type="submit">{t('inbox.open')}</button>
              </form>
            )}
          </li>
        ))}
      </ol>
      <nav class="paging">
        {props.before ? (
          <p>
            <a href="/me/inbox">{t('inbox.newest')}</a>
          </p>
        ) : null}
        {props.older ? (
          <p>
            <a href={`/me/inbox?before=${encodeURIComponent(props.older)}`}>{t('inbox.older')}</a>
          </p>
        ) : null}
      </nav>
    </Layout>
  );
}

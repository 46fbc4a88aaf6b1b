/** The push page: whether this browser gets push notifications, and the buttons (push.js). */
import type { SubscriptionView } from '../../../modules/notify/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

const when = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(d);

export function PushPage(props: {
  ctx: PageContext;
  publicKey: string;
  /** This browser's subscription, if push is on in it. */
  here: SubscriptionView | undefined;
  others: SubscriptionView[];
}) {
  const { ctx, here, others } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('push.title')} area="portal">
      <h2>{t('push.title')}</h2>
      <p>{t('push.intro')}</p>
      <p>{t('push.what')}</p>
      <div
        id="push"
        class="stack"
        data-key={props.publicKey}
        data-subscribed={here ? 'true' : 'false'}
        data-subscribe="/api/me/push/subscription"
        data-unsubscribe="/api/me/push/subscription/remove"
      >
        <p role="status" data-state="on" hidden={!here}>
          {t('push.on')}
        </p>
        <p role="status" data-state="off" hidden={!!here}>
          {t('push.off')}
        </p>
        <p role="alert" data-state="unsupported" hidden>
          {t('push.unsupported')}
        </p>
        <p role="alert" data-state="denied" hidden>
          {t('push.denied')}
        </p>
        <p role="alert" data-state="failed" hidden>
          {t('push.failed')}
        </p>
        <button type="button" id="push-on" hidden>
          {t('push.turnOn')}
        </button>
        <button type="button" id="push-off" hidden>
          {t('push.turnOff')}
        </button>
      </div>
      <noscript>
        <p class="muted">{t('push.noScript')}</p>
      </noscript>
      <script src="/static/push.js" defer></script>
      <p class="muted">{t('push.signOutNote')}</p>
      {others.length > 0 ? (
        <>
          <h3>{t('push.others')}</h3>
          <ul>
            {others.map((o) => (
              <li>
                {o.label} · {when(ctx, o.createdAt)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

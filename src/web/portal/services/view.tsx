/** /me/services "Connected services" (P8.1.view, P8.5.withdraw): who holds my data or a door to it. */
import { listOf } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';

/** One service as the page shows it: every label already in the page's language. */
export interface ServiceRow {
  clientId: string;
  name: string;
  policyUrl: string | null;
  received: string[];
  consents: { purpose: string; categories: string[]; given: string; active: boolean }[];
  granted: string | null;
  lastUsed: string | null;
  /** Still holds a grant or an active consent: something to disconnect. */
  connected: boolean;
}

function Service(props: { ctx: PageContext; s: ServiceRow }) {
  const { ctx, s } = props;
  const { t } = ctx;
  return (
    <li data-service={s.clientId}>
      <h2>{s.name}</h2>
      <dl class="facts">
        <dt>{t('services.received')}</dt>
        <dd>{s.received.length > 0 ? listOf(ctx.locale, s.received) : t('services.receivedNothing')}</dd>
        <dt>{t('services.consent')}</dt>
        <dd>
          {s.consents.length === 0 ? (
            t('services.noConsent')
          ) : (
            <ul>
              {s.consents.map((c) => (
                <li>
                  {c.purpose}: {listOf(ctx.locale, c.categories)} ({t('services.given')} {c.given}
                  {c.active ? '' : `, ${t('services.withdrawn')}`})
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('services.granted')}</dt>
        <dd>{s.granted ?? t('services.notGranted')}</dd>
        <dt>{t('services.lastUsed')}</dt>
        <dd>{s.lastUsed ?? t('services.neverUsed')}</dd>
        <dt>{t('services.policy')}</dt>
        <dd>{s.policyUrl ? <a href={s.policyUrl}>{t('services.policyLink')}</a> : t('services.noPolicy')}</dd>
      </dl>
      {s.connected ? (
        <form method="post" action={`/me/services/${encodeURIComponent(s.clientId)}/disconnect`}>
          <button type="submit" class="danger">
            {t('services.disconnect')}
          </button>
        </form>
      ) : (
        <p class="muted">{t('services.disconnected')}</p>
      )}
    </li>
  );
}

export function ServicesPage(props: { ctx: PageContext; services: ServiceRow[]; done?: string | undefined }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('services.title')} area="portal">
      <MyDataNav ctx={ctx} current="services" />
      <h1>{t('services.title')}</h1>
      {props.done ? (
        <p role="status" class="notice">
          {t('services.done').replace('{name}', props.done)}
        </p>
      ) : null}
      <p>{t('services.intro')}</p>
      {props.services.length === 0 ? (
        <p>{t('services.none')}</p>
      ) : (
        <ul class="service-list">
          {props.services.map((s) => (
            <Service ctx={ctx} s={s} />
          ))}
        </ul>
      )}
      <p>
        <a href="/me/access">{t('services.access')}</a>
      </p>
    </Layout>
  );
}

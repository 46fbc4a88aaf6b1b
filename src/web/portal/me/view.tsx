/** The person's own pages: who accessed my data, my consents (P5.3.3, P8.1, P8.5, P8.6). */
import type { Child } from 'hono/jsx';
import { Layout, type PageContext } from '../../layout.tsx';

export interface AccessRow {
  id: number;
  when: string;
  operation: string;
  who: string;
  categories: string[];
  purpose: string;
  basis: string;
}

export const Contact = (props: { ctx: PageContext }) => (
  <p class="muted contact">{props.ctx.t('me.contact')}</p>
);

export const MyDataNav = (props: {
  ctx: PageContext;
  current: 'access' | 'consents' | 'security' | 'verify' | 'deliveries';
}) => (
  <nav aria-label={props.ctx.t('nav.myData')} class="subnav">
    <ul>
      <li>
        <a href="/me/access" aria-current={props.current === 'access' ? 'page' : undefined}>
          {props.ctx.t('me.access.title')}
        </a>
      </li>
      <li>
        <a href="/me/consents" aria-current={props.current === 'consents' ? 'page' : undefined}>
          {props.ctx.t('me.consents.title')}
        </a>
      </li>
      <li>
        <a href="/me/security" aria-current={props.current === 'security' ? 'page' : undefined}>
          {props.ctx.t('me.security.title')}
        </a>
      </li>
      <li>
        <a href="/me/verify" aria-current={props.current === 'verify' ? 'page' : undefined}>
          {props.ctx.t('verify.title')}
        </a>
      </li>
      <li>
        <a href="/me/deliveries" aria-current={props.current === 'deliveries' ? 'page' : undefined}>
          {props.ctx.t('delivery.mine.title')}
        </a>
      </li>
    </ul>
  </nav>
);

export function AccessPage(props: { ctx: PageContext; rows: AccessRow[]; olderThan?: number }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.access.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="access" />
      <h1>{t('me.access.title')}</h1>
      <p>{t('me.access.intro')}</p>
      {props.rows.length === 0 ? (
        <p>{t('me.access.empty')}</p>
      ) : (
        <table class="access">
          <thead>
            <tr>
              <th scope="col">{t('me.access.when')}</th>
              <th scope="col">{t('me.access.who')}</th>
              <th scope="col">{t('me.access.what')}</th>
              <th scope="col">{t('me.access.purpose')}</th>
              <th scope="col">{t('me.access.basis')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{r.when}</td>
                <td>
                  {r.who}
                  <span class="muted"> · {r.operation}</span>
                </td>
                <td>{r.categories.join('、')}</td>
                <td>{r.purpose}</td>
                <td>{r.basis}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.olderThan ? (
        <p>
          <a href={`/me/access?before=${props.olderThan}`}>{t('me.access.older')}</a>
        </p>
      ) : null}
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

export interface ConsentRow {
  id: string;
  purpose: string;
  essential: boolean;
  categories: string[];
  recipient: string;
  given: string;
  status: 'active' | 'withdrawn' | 'expired';
}

export function ConsentsPage(props: { ctx: PageContext; rows: ConsentRow[]; withdrawn?: boolean }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.consents.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="consents" />
      <h1>{t('me.consents.title')}</h1>
      <p>{t('me.consents.intro')}</p>
      {props.withdrawn ? (
        <p class="notice" role="status">
          {t('me.consents.done')}
        </p>
      ) : null}
      {props.rows.length === 0 ? <p>{t('me.consents.empty')}</p> : null}
      <ul class="consents">
        {props.rows.map((c) => (
          <li class="consent">
            <h2>{c.purpose}</h2>
            <dl class="facts">
              <dt>{t('me.consents.data')}</dt>
              <dd>{c.categories.join('、')}</dd>
              <dt>{t('me.consents.recipient')}</dt>
              <dd>{c.recipient}</dd>
              <dt>{t('me.consents.given')}</dt>
              <dd>{c.given}</dd>
              <dt>{t('me.consents.status')}</dt>
              <dd>{t(`me.consents.${c.status}`)}</dd>
            </dl>
            {c.status === 'active' ? (
              <form method="post" action={`/me/consents/${c.id}/withdraw`}>
                <p class="muted" id={`effect-${c.id}`}>
                  {c.essential ? t('me.consents.effect.essential') : t('me.consents.effect.optional')}
                </p>
                <button type="submit" aria-describedby={`effect-${c.id}`}>
                  {t('me.consents.withdraw')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

export interface DeviceRow {
  id: string;
  device: string;
  since: string;
  current: boolean;
}

export function SecurityPage(props: {
  ctx: PageContext;
  rows: DeviceRow[];
  ended?: boolean;
  linked?: Child;
  /** P7.3 second factors and login alerts (security.tsx). */
  sections?: Child;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.security.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="security" />
      <h1>{t('me.security.title')}</h1>
      <p>{t('me.security.intro')}</p>
      {props.ended ? (
        <p class="notice" role="status">
          {t('me.security.ended')}
        </p>
      ) : null}
      <h2>{t('security.devices.title')}</h2>
      <table class="devices">
        <thead>
          <tr>
            <th scope="col">{t('me.security.device')}</th>
            <th scope="col">{t('me.security.since')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('me.security.signOut')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>
                {r.device}
                {r.current ? <strong> · {t('me.security.current')}</strong> : null}
              </td>
              <td>{r.since}</td>
              <td>
                {r.current ? null : (
                  <form method="post" action={`/me/sessions/${r.id}/end`}>
                    <button type="submit" aria-label={`${t('me.security.signOut')}: ${r.device}, ${r.since}`}>
                      {t('me.security.signOut')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/me/sessions/end-others">
        <button type="submit">{t('me.security.signOutOthers')}</button>
      </form>
      {props.sections}
      {props.linked}
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

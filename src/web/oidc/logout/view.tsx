import { Layout, type PageContext } from '../../layout.tsx';

/**
 * Signed out: the services' front-channel pages load hidden, then (`after` seconds, time for
 * the frames) the browser moves on to where the service asked to return.
 */
export function FrontChannelPage(props: { ctx: PageContext; frames: string[]; next: string; after: number }) {
  const { t } = props.ctx;
  return (
    <Layout
      ctx={props.ctx}
      title={t('sso.logout.done')}
      area="portal"
      refresh={`${props.after};url=${props.next}`}
    >
      <h1>{t('sso.logout.done')}</h1>
      {props.frames.map((src) => (
        <iframe src={src} title={t('sso.logout.frame')} hidden width="0" height="0"></iframe>
      ))}
      <p>
        <a href={props.next}>{t('sso.logout.continue')}</a>
      </p>
    </Layout>
  );
}

/** A sign-out confirmation posted from another site's page: refused, nothing ended. */
export function CrossSitePage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('sso.logout.title')} area="portal">
      <h1>{t('sso.logout.title')}</h1>
      <p role="alert">{t('sso.logout.crossSite')}</p>
      <p>
        <a href="/">{t('nav.home')}</a>
      </p>
    </Layout>
  );
}

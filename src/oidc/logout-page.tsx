import { Layout, type PageContext } from '../web/layout.tsx';

/** Signed out: the services' front-channel pages load hidden, then the browser moves on. */
export function FrontChannelPage(props: { ctx: PageContext; frames: string[]; next: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('sso.logout.done')} area="portal" refresh={`2;url=${props.next}`}>
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

/** Linked accounts (P7.1): the section of the security page, the sign-in buttons, the refusal page. */
import type { LinkView } from '../../../modules/linked/index.ts';
import type { Locale } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { withNext } from '../../http/return-address.ts';

type Provider = { id: string; name: Record<Locale, string> };

export function LinkedSection(props: {
  ctx: PageContext;
  links: LinkView[];
  providers: Provider[];
  status?: 'done' | 'removed' | undefined;
  error?: string | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
  const unlinked = props.providers.filter((p) => !props.links.some((l) => l.provider === p.id));
  return (
    <section aria-labelledby="linked-title" class="linked">
      <h2 id="linked-title">{t('linked.title')}</h2>
      <p>{t('linked.intro')}</p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.status ? (
        <p class="notice" role="status">
          {t(props.status === 'done' ? 'linked.done' : 'linked.removed')}
        </p>
      ) : null}
      {props.links.length === 0 ? (
        <p>{t('linked.empty')}</p>
      ) : (
        <table class="links">
          <thead>
            <tr>
              <th scope="col">{t('linked.provider')}</th>
              <th scope="col">{t('linked.since')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('linked.unlink')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.links.map((l) => (
              <tr>
                <td data-label={t('linked.provider')}>{l.providerName[ctx.locale]}</td>
                <td data-label={t('linked.since')}>{date.format(l.linkedAt)}</td>
                <td data-label="">
                  <form method="post" action={`/me/linked/${l.id}/unlink`}>
                    <button type="submit" aria-label={`${t('linked.unlink')}: ${l.providerName[ctx.locale]}`}>
                      {t('linked.unlink')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unlinked.map((p) => (
        <form method="post" action={`/me/linked/${p.id}`}>
          <button type="submit">{`${t('linked.link')} ${p.name[ctx.locale]}`}</button>
        </form>
      ))}
    </section>
  );
}

/** Sign-in buttons for the login page (links: starting an upstream sign-in changes nothing here). */
export function LinkedSignIn(props: { ctx: PageContext; providers: Provider[]; next?: string | undefined }) {
  const { ctx } = props;
  if (props.providers.length === 0) return null;
  return (
    <section aria-labelledby="linked-signin" class="linked-signin">
      <h2 id="linked-signin">{ctx.t('linked.others')}</h2>
      <ul class="providers">
        {props.providers.map((p) => (
          <li>
            <a
              href={withNext(`/login/linked/${p.id}`, props.next)}
            >{`${ctx.t('linked.signInWith')} ${p.name[ctx.locale]}`}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LinkedRefusedPage(props: { ctx: PageContext; notLinked: boolean; reason: string }) {
  const { t } = props.ctx;
  const title = props.notLinked ? t('linked.notLinked.title') : t('linked.failed.title');
  return (
    <Layout ctx={props.ctx} title={title} area="portal">
      <h1>{title}</h1>
      <p role="alert">{props.notLinked ? t('linked.notLinked.body') : props.reason}</p>
      <p>
        <a href="/login">{t('linked.back')}</a>
      </p>
      {props.notLinked ? (
        <p>
          <a href="/me/security">{t('linked.security')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/**
 * Shown after "Link": the browser moves on to the provider by a Refresh header (with this
 * link as fallback). A 303 would be blocked by the page's CSP `form-action 'self'`, which
 * also governs the redirects that follow a form submission.
 */
export function LinkedContinuePage(props: { ctx: PageContext; url: string; provider: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={`${t('linked.link')} ${props.provider}`} area="portal">
      <h1>{`${t('linked.link')} ${props.provider}`}</h1>
      <p role="status">{t('linked.continue')}</p>
      <p>
        <a href={props.url}>{t('linked.continueLink')}</a>
      </p>
    </Layout>
  );
}

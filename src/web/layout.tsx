/**
 * The page frame shared by portal and console: semantic landmarks, a skip link, the
 * language switch, and no inline script or style (the CSP forbids both).
 *
 * Rules:
 * - Every portal page says who is signed in (the verified name, else the masked phone),
 *   whom they act for, and offers sign-out as a POST form (a link could be followed by a
 *   prefetch or another site's image; the form is refused cross-site, security.ts); a
 *   signed-out page offers sign-in that returns to it.
 * - Nothing here looks anything up: the page context carries what the request's principal
 *   already resolved (context.ts, ADR 0019).
 * - The staff console is not a citizen's destination: linked from the footer only.
 * - A signed-in page's header links to the person's messages with the unread count, and shows
 *   the announcements they have not dismissed, each with a dismiss button (a POST form:
 *   works without script, refused cross-site); both come from the request's look-up
 *   (http/header-notices.ts). Signed out, the home page shows announcements in its body.
 * - P3.3.manage every page's footer links to the cookie choice (/cookies); a portal page
 *   whose request has no cookie choice yet shows the banner above its content (never over
 *   it: the page works while the banner stays unanswered).
 * - Every portal page loads keep-draft.js, which refills a form whose post was refused because
 *   the session ended, once the same person has signed in again.
 */
import type { Child } from 'hono/jsx';
import { localeNames, locales, type Locale, type Translate } from './i18n/index.ts';
import type { HeaderNotices } from './http/header-notices.ts';
import { ownAddress, withNext } from './http/return-address.ts';
import { CookieBanner } from './portal/cookies/banner.tsx';

export interface PageContext {
  locale: Locale;
  t: Translate;
  /** Current path with query, for the language switch to return to. */
  path: string;
  /** The company a signed-in person is acting for, shown in the header (module company). */
  actingFor?: string | undefined;
  /** Set when a person is signed in: whom the header names (web/http/signed-in-as.ts). */
  signedIn?: { name?: string; phone?: string } | undefined;
  /** The unread count and the announcements for this request (http/header-notices.ts). */
  notices?: HeaderNotices | undefined;
  /** The page is served under `script-src 'none'` (the provider's logout pages, src/oidc/logout.ts). */
  noScript?: boolean;
  /** The banner's texts when no cookie choice is made yet (web/http/cookie-choice.ts). */
  cookieBanner?: Record<'analytics' | 'personalisation', string> | undefined;
}

/** Pages a sign-in link should not return to: the journey there starts over anyway. */
const startsOver = (path: string) => path === '/' || /^\/(login|register)(\/|\?|$)/.test(path);

const plural: Record<string, Intl.PluralRules> = {};

/** "3 unread" in the page's language (Czech has three forms). */
export function unreadLabel(ctx: PageContext, n: number): string {
  const rule = (plural[ctx.locale] ??= new Intl.PluralRules(ctx.locale)).select(n);
  const key =
    rule === 'one' ? 'inbox.unread.one' : rule === 'few' ? 'inbox.unread.few' : 'inbox.unread.other';
  return ctx.t(key).replace('{n}', String(n));
}

/**
 * The announcements shown to this request: in a signed-in header with a dismiss form
 * returning to the page; on the signed-out home page without one.
 */
export function Announcements(props: { ctx: PageContext; dismiss: boolean }) {
  const { ctx } = props;
  const shown = ctx.notices?.announcements ?? [];
  if (shown.length === 0) return null;
  return (
    <section class="announcements" aria-label={ctx.t('announce.region')}>
      {shown.map((a) => (
        <article class={`announcement announcement-${a.kind}`} id={`announcement-${a.id}`}>
          <p class="announcement-kind">{ctx.t(`announce.kind.${a.kind}`)}</p>
          <p class="announcement-title">
            <strong>{a.title}</strong>
          </p>
          <p class="announcement-text">{a.text}</p>
          {props.dismiss ? (
            <form method="post" action={withNext(`/announcements/${a.id}/dismiss`, ctx.path)}>
              <button type="submit">{ctx.t('announce.dismiss')}</button>
            </form>
          ) : null}
        </article>
      ))}
    </section>
  );
}

/** P9.accept a material change the person has not acknowledged: on every page until they do. */
function PolicyChange(props: { ctx: PageContext }) {
  const { ctx } = props;
  const change = ctx.notices?.policyChange;
  if (!change || ctx.path.startsWith('/privacy/changes')) return null;
  const date = new Date(change.effectiveFrom.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return (
    <p class="notice policy-change" role="status">
      {ctx.t('policy.notice.header').replace('{date}', date)}{' '}
      <a href="/privacy/changes">{ctx.t('policy.notice.read')}</a>
    </p>
  );
}

function Account(props: { ctx: PageContext }) {
  const { t, signedIn, actingFor, path } = props.ctx;
  if (!signedIn) {
    return (
      <p class="account">
        <a href={startsOver(path) ? '/login' : withNext('/login', path)}>{t('account.signIn')}</a>
      </p>
    );
  }
  const who = signedIn.name ?? signedIn.phone;
  return (
    <section class="account" aria-label={t('account.region')}>
      <p class="signed-in">
        {who ? (
          <>
            {t('account.signedInAs')}: <strong>{who}</strong>
          </>
        ) : (
          t('account.signedIn')
        )}
      </p>
      <p class="my-account">
        <a href="/me">{t('nav.myAccount')}</a>
      </p>
      {props.ctx.notices?.unread !== undefined ? (
        <p class="inbox-link">
          <a href="/me/inbox">
            {t('inbox.nav')}
            {props.ctx.notices.unread > 0 ? (
              <>
                {' '}
                <span class="unread">{unreadLabel(props.ctx, props.ctx.notices.unread)}</span>
              </>
            ) : null}
          </a>
        </p>
      ) : null}
      {actingFor ? (
        <p class="acting">
          {t('company.acting.header')}: <strong>{actingFor}</strong>
        </p>
      ) : null}
      <form method="post" action="/logout" class="sign-out">
        <button type="submit">{t('auth.logout')}</button>
      </form>
    </section>
  );
}

export function Layout(props: {
  ctx: PageContext;
  title: string;
  area: 'portal' | 'admin';
  /** `<meta http-equiv="refresh">` content: moves on without script (e.g. after logout). */
  refresh?: string;
  children: Child;
}) {
  const { ctx, title, area } = props;
  const { t } = ctx;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('site.name')}`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/site.css" />
        {props.refresh ? <meta http-equiv="refresh" content={props.refresh} /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="brand">
            <a href={area === 'admin' ? '/admin' : '/'}>{t('site.name')}</a>
            <span class="tagline">{area === 'admin' ? t('nav.console') : t('site.tagline')}</span>
          </div>
          <nav aria-label={t('nav.main')}>
            <ul>
              <li>
                <a href="/">{t('nav.home')}</a>
              </li>
              <li>
                <a href="/me/access">{t('nav.myData')}</a>
              </li>
              <li>
                <a href="/me/companies">{t('nav.companies')}</a>
              </li>
              <li>
                <a href="/privacy">{t('nav.privacy')}</a>
              </li>
            </ul>
          </nav>
          {area === 'portal' ? <Account ctx={ctx} /> : null}
          {area === 'portal' && ctx.signedIn ? <PolicyChange ctx={ctx} /> : null}
          {area === 'portal' && ctx.signedIn ? <Announcements ctx={ctx} dismiss={true} /> : null}
          <nav aria-label={t('nav.language')} class="languages">
            <ul>
              {locales.map((l) => (
                <li>
                  <a
                    href={withNext(`/lang/${l}`, ctx.path)}
                    lang={l}
                    hreflang={l}
                    aria-current={l === ctx.locale ? 'true' : undefined}
                  >
                    {localeNames[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        {area === 'portal' && ctx.cookieBanner ? <CookieBanner ctx={ctx} texts={ctx.cookieBanner} /> : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        {area === 'portal' && !ctx.noScript ? <script src="/static/keep-draft.js" defer></script> : null}
        <footer class="site-footer">
          <p>{t('footer.hotline')}</p>
          <p>
            <a href={withNext('/cookies', ownAddress(ctx.path))}>{t('footer.cookies')}</a>
          </p>
          {area === 'portal' ? (
            <p>
              <a href="/admin">{t('nav.console')}</a>
            </p>
          ) : null}
        </footer>
      </body>
    </html>
  );
}

export async function renderPage(el: unknown): Promise<string> {
  return `<!DOCTYPE html>${await String(el)}`;
}

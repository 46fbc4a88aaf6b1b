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
 * - Every portal page loads keep-draft.js, which refills a form whose post was refused because
 *   the session ended, once the same person has signed in again.
 */
import type { Child } from 'hono/jsx';
import { localeNames, locales, type Locale, type Translate } from './i18n/index.ts';
import { withNext } from './http/return-address.ts';

export interface PageContext {
  locale: Locale;
  t: Translate;
  /** Current path with query, for the language switch to return to. */
  path: string;
  /** The company a signed-in person is acting for, shown in the header (module company). */
  actingFor?: string | undefined;
  /** Set when a person is signed in: whom the header names (web/http/signed-in-as.ts). */
  signedIn?: { name?: string; phone?: string } | undefined;
  /** The page is served under `script-src 'none'` (the provider's logout pages, src/oidc/logout.ts). */
  noScript?: boolean;
}

/** Pages a sign-in link should not return to: the journey there starts over anyway. */
const startsOver = (path: string) => path === '/' || /^\/(login|register)(\/|\?|$)/.test(path);

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
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        {area === 'portal' && !ctx.noScript ? <script src="/static/keep-draft.js" defer></script> : null}
        <footer class="site-footer">
          <p>{t('footer.hotline')}</p>
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

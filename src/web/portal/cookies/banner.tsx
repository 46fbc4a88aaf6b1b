/**
 * The cookie banner (P3.2, P3.3): shown by the page frame above the content until a choice is
 * made. Accepting and refusing are the same element with the same class, side by side;
 * choosing opens /cookies. Plain forms: no script needed.
 */
import { optionalCategories, type OptionalCategory } from '../../http/cookies.ts';
import { ownAddress, withNext } from '../../http/return-address.ts';
import type { PageContext } from '../../layout.tsx';

/** The two buttons, equally prominent (same element, same class, side by side), then "choose". */
export function ChoiceButtons(props: { ctx: PageContext; next: string | undefined }) {
  const { t } = props.ctx;
  return (
    <form method="post" action={withNext('/cookies', props.next)} class="cookie-buttons">
      <input type="hidden" name="from" value="banner" />
      <button type="submit" name="choice" value="all">
        {t('cookies.acceptAll')}
      </button>
      <button type="submit" name="choice" value="none">
        {t('cookies.refuseAll')}
      </button>
    </form>
  );
}

/** P3.3 shown above the page's content until a choice is made; never covers the page. */
export function CookieBanner(props: { ctx: PageContext; texts: Record<OptionalCategory, string> }) {
  const { ctx, texts } = props;
  const { t } = ctx;
  return (
    <section class="cookie-banner" aria-labelledby="cookie-banner-title">
      <h2 id="cookie-banner-title">{t('cookies.banner.title')}</h2>
      <p>{t('cookies.banner.intro')}</p>
      <ul>
        {optionalCategories.map((c) => (
          <li>{texts[c]}</li>
        ))}
      </ul>
      <p>{t('cookies.degrade')}</p>
      <ChoiceButtons ctx={ctx} next={ownAddress(ctx.path)} />
      <p>
        <a href={withNext('/cookies', ownAddress(ctx.path))}>{t('cookies.choose')}</a>
      </p>
    </section>
  );
}

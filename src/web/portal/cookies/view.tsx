/**
 * The cookie page (/cookies, P3.2, P3.3): the person's choice and every declared cookie, the
 * table generated from the registry (web/http/cookies.ts), so it cannot drift from what the
 * server sets. Also the banner every portal page shows until a choice is made.
 */
import { cookies, optionalCategories, type CookieId, type OptionalCategory } from '../../http/cookies.ts';
import { withNext } from '../../http/return-address.ts';
import { ChoiceButtons } from './banner.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';

const fill = (s: string, n: number) => s.replace('{n}', new Intl.NumberFormat().format(n));

function lifetime(ctx: PageContext, s: number | 'session'): string {
  if (s === 'session') return ctx.t('cookies.lifetime.session');
  if (s < 3600) return fill(ctx.t('cookies.lifetime.minutes'), Math.round(s / 60));
  if (s < 2 * 86_400) return fill(ctx.t('cookies.lifetime.hours'), Math.round(s / 3600));
  return fill(ctx.t('cookies.lifetime.days'), Math.round(s / 86_400));
}

export interface CookieForm {
  analytics: boolean;
  personalisation: boolean;
}

export function CookiesPage(props: {
  ctx: PageContext;
  /** The current choice, or what was typed when the post was refused. */
  form: CookieForm;
  made: boolean;
  signedIn: boolean;
  saved: boolean;
  next: string | undefined;
  texts: Record<OptionalCategory, string>;
  errors?: FieldError[];
}) {
  const { ctx, form } = props;
  const { t } = ctx;
  const ids = Object.keys(cookies) as CookieId[];
  return (
    <Layout ctx={ctx} title={t('cookies.title')} area="portal">
      <h1>{t('cookies.title')}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.saved ? (
        <p class="notice" role="status">
          {t('cookies.saved')} {props.next ? <a href={props.next}>{t('cookies.back')}</a> : null}
        </p>
      ) : null}
      <p>{t('cookies.intro')}</p>
      <p>{t('cookies.degrade')}</p>

      <h2 id="choice">{t('cookies.choice.title')}</h2>
      <p>{props.made ? t('cookies.choice.made') : t('cookies.choice.none')}</p>
      {props.signedIn ? <p>{t('cookies.choice.account')}</p> : null}
      <ChoiceButtons ctx={ctx} next={props.next} />
      <form method="post" action={withNext('/cookies', props.next)} class="stack" id="choice-form">
        <input type="hidden" name="from" value="page" />
        <fieldset>
          <legend>{t('cookies.category.necessary')}</legend>
          <p>{t('cookies.necessary.text')}</p>
        </fieldset>
        {optionalCategories.map((c) => (
          <fieldset>
            <legend>{t(`cookies.category.${c}`)}</legend>
            <p id={`${c}-text`}>{props.texts[c]}</p>
            <p id={`${c}-lost`}>{t(`cookies.lost.${c}`)}</p>
            <p>
              <input
                type="checkbox"
                id={c}
                name={c}
                value="on"
                checked={form[c]}
                aria-describedby={`${c}-text ${c}-lost`}
              />{' '}
              <label for={c}>{t(`cookies.allow.${c}`)}</label>
            </p>
          </fieldset>
        ))}
        <button type="submit" name="choice" value="custom">
          {t('cookies.save')}
        </button>
      </form>

      <h2 id="list">{t('cookies.list.title')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('cookies.list.name')}</th>
            <th scope="col">{t('cookies.list.purpose')}</th>
            <th scope="col">{t('cookies.list.category')}</th>
            <th scope="col">{t('cookies.list.lifetime')}</th>
            <th scope="col">{t('cookies.list.party')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const c = cookies[id];
            return (
              <tr data-cookie={c.name} data-category={c.category}>
                <td data-label={t('cookies.list.name')}>
                  <code>{c.name}</code>
                </td>
                <td data-label={t('cookies.list.purpose')}>{t(`cookies.purpose.${id}` as MessageKey)}</td>
                <td data-label={t('cookies.list.category')}>{t(`cookies.category.${c.category}`)}</td>
                <td data-label={t('cookies.list.lifetime')}>{lifetime(ctx, c.maxAgeSeconds)}</td>
                <td data-label={t('cookies.list.party')}>{c.firstParty ? t('cookies.firstParty') : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

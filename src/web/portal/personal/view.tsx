/**
 * The home page's personal sections, shown only with personalisation consent (ADR 0047):
 * the person's services (favourites first, then recent) and the service hall nearest to a
 * place they share. Without script the hall form takes a city; with it, the box adds a
 * location rounded to whole degrees (static/location.js, P2.2.1).
 */
import type { DepartmentRow } from '../../../modules/catalogue/index.ts';
import { ErrorSummary, FieldMessage, fieldAria } from '../../forms/fields.tsx';
import type { PageContext } from '../../layout.tsx';
import type { PersonalView } from './state.ts';

export function FavouriteButton(props: { ctx: PageContext; slug: string; on: boolean; name: string }) {
  const { t } = props.ctx;
  return (
    <form method="post" action="/personal/favourite" class="favourite">
      <input type="hidden" name="service" value={props.slug} />
      <input type="hidden" name="on" value={props.on ? '0' : '1'} />
      <button type="submit" class="link" aria-pressed={props.on ? 'true' : 'false'}>
        {t(props.on ? 'personal.favourite.remove' : 'personal.favourite.add')}
        <span class="visually-hidden">: {props.name}</span>
      </button>
    </form>
  );
}

export function PersonalSections(props: {
  ctx: PageContext;
  personal: PersonalView;
  departments: DepartmentRow[];
}) {
  const { ctx, personal } = props;
  const { t, locale } = ctx;
  const nameOf = (slug: string) => {
    for (const d of props.departments) for (const s of d.services) if (s.slug === slug) return s.name[locale];
    return undefined;
  };
  const mine = [
    ...personal.favourites.map((slug) => ({ slug, favourite: true })),
    ...personal.recent.map((slug) => ({ slug, favourite: false })),
  ].filter((s) => nameOf(s.slug) !== undefined);
  const cities = [...new Map(personal.halls.map((h) => [h.city, h.cityName[locale]])).entries()];
  const chosenCity = personal.kept?.city ?? personal.hall?.city;
  return (
    <>
      <ErrorSummary ctx={ctx} errors={personal.errors} />
      <section aria-labelledby="your-services-title" id="your-services">
        <h2 id="your-services-title">{t('personal.services.title')}</h2>
        {mine.length === 0 ? (
          <p class="muted">{t('personal.services.empty')}</p>
        ) : (
          <ul class="your-services">
            {mine.map((s) => (
              <li data-service={s.slug}>
                <a href={`/services/${s.slug}/start`}>{nameOf(s.slug)}</a>{' '}
                <span class="muted">{t(s.favourite ? 'personal.favourite' : 'personal.recent')}</span>
                <FavouriteButton ctx={ctx} slug={s.slug} on={s.favourite} name={nameOf(s.slug)!} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="hall-title">
        <h2 id="hall-title">{t('personal.hall.title')}</h2>
        {personal.hall ? (
          <p data-hall={personal.hall.slug}>
            {t('personal.hall.chosen')} <strong>{personal.hall.name[locale]}</strong> (
            {personal.hall.cityName[locale]})
          </p>
        ) : (
          <p class="muted">{t('personal.hall.none')}</p>
        )}
        <form method="post" action="/personal/hall" class="stack">
          <div class="field">
            <label for="hall-city">{t('personal.hall.city')}</label>
            <FieldMessage id="hall-city" errors={personal.errors} />
            <select id="hall-city" name="city" {...fieldAria('hall-city', personal.errors)}>
              <option value="">{t('personal.hall.cityNone')}</option>
              {cities.map(([slug, name]) => (
                <option value={slug} selected={slug === chosenCity}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div data-geo data-ok={t('personal.hall.geoOk')} data-fail={t('personal.hall.geoFail')} hidden>
            <input type="checkbox" id="use-geo" />
            <label for="use-geo">{t('personal.hall.geo')}</label>
            <p role="status" data-geo-status></p>
          </div>
          <input type="hidden" name="place" id="place" value="" />
          <button type="submit">{t('personal.hall.submit')}</button>
        </form>
        <script src="/static/location.js" defer></script>
      </section>
    </>
  );
}

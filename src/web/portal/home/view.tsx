import { fieldLabel, type DepartmentRow, type RelyingParty } from '../../../modules/catalogue/index.ts';
import { purposes } from '../../../modules/inventory/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ClauseLink } from '../privacy/view.tsx';

/** P2.3 what a service asks for, why, for how long, and the level it needs. */
function ServiceNeeds(props: { ctx: PageContext; rp: RelyingParty }) {
  const { t, locale } = props.ctx;
  return (
    <details class="needs">
      <summary>
        {t('home.needs')} · L{props.rp.assuranceLevel}
      </summary>
      <ul>
        {props.rp.fields.map((f) => (
          <li>
            {fieldLabel(f.field)[locale]} ({t(f.required ? 'sso.consent.required' : 'sso.consent.optional')}):{' '}
            {purposes[f.purpose].label[locale]}; {t('sso.consent.keptFor')} {f.retentionDays}{' '}
            {t('sso.consent.days')}
          </li>
        ))}
        {props.rp.offlineDelivery ? <li>{t('delivery.offered')}</li> : null}
      </ul>
    </details>
  );
}

export function HomePage(props: {
  ctx: PageContext;
  departments: DepartmentRow[];
  relyingParties?: RelyingParty[];
}) {
  const { ctx, departments } = props;
  const rpOf = (slug: string) => props.relyingParties?.find((r) => r.serviceSlug === slug);
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')} area="portal">
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p>{t('home.intro')}</p>
        <p class="actions">
          <a class="button" href="/register">
            {t('auth.register.title')}
          </a>
          <a href="/login">{t('login.title')}</a>
        </p>
      </section>
      <section aria-labelledby="how-title">
        <h2 id="how-title">{t('home.how')}</h2>
        <ol class="steps">
          <li>{t('home.how.register')}</li>
          <li>{t('home.how.verify')}</li>
          <li>{t('home.how.use')}</li>
        </ol>
      </section>
      <section aria-labelledby="services-title">
        <h2 id="services-title">{t('home.services')}</h2>
        {departments.length === 0 ? (
          <p>{t('home.services.empty')}</p>
        ) : (
          <ul class="departments">
            {departments.map((d) => (
              <li class="department">
                <h3>{d.name[locale]}</h3>
                <ul class="services">
                  {d.services.map((s) => (
                    <li>
                      <strong>{s.name[locale]}</strong>
                      <p>{s.summary[locale]}</p>
                      {rpOf(s.slug) ? <ServiceNeeds ctx={ctx} rp={rpOf(s.slug)!} /> : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

export { PrivacyPage } from '../privacy/view.tsx';

/**
 * A refusal as a person reads it: the catalogue's title in their language and, where a policy
 * clause applies, a link to its section. The API's developer detail (English) stays in the
 * problem details and is not shown here.
 */
export function ErrorPage(props: {
  ctx: PageContext;
  status: number;
  title: string;
  code: string;
  clause?: string;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={props.title} area="portal">
      <h1>{props.title}</h1>
      <ClauseLink ctx={props.ctx} clause={props.clause} />
      <p class="muted">
        {t('error.code')}: <code>{props.code}</code> ({props.status})
      </p>
      <p>
        <a href="/">{t('error.home')}</a>
      </p>
    </Layout>
  );
}

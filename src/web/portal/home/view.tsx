import type { DepartmentRow, RelyingParty } from '../../../modules/catalogue/index.ts';
import { ServiceNeeds } from './service-needs.tsx';
import { Announcements, Layout, type PageContext } from '../../layout.tsx';
import { ClauseLink } from '../privacy/view.tsx';
import { FavouriteButton, PersonalSections } from '../personal/view.tsx';
import type { PersonalView } from '../personal/state.ts';

/** A signed-in person is past "register, sign in": offer what they can do now. */
function NextSteps(props: { ctx: PageContext; verified: boolean }) {
  const { t } = props.ctx;
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title">{t('home.next.title')}</h2>
      <ul class="next-steps">
        {props.verified ? null : (
          <li>
            <a href="/me/verify">{t('home.next.verify')}</a>
          </li>
        )}
        <li>
          <a href="#services-title">{t('home.next.services')}</a>
        </li>
        <li>
          <a href="/me/access">{t('home.next.access')}</a>
        </li>
        <li>
          <a href="/me/consents">{t('home.next.consents')}</a>
        </li>
        <li>
          <a href="/me/security">{t('home.next.security')}</a>
        </li>
      </ul>
    </section>
  );
}

/**
 * Starts a service at its department: the home address staff registered for it (http(s)
 * only, relying-party.ts), which opens its single sign-on. No address, no link. The
 * department's page gets no handle on this one (`noopener`) and no referrer.
 */
function StartService(props: {
  ctx: PageContext;
  rp: RelyingParty | undefined;
  name: string;
  /** With personalisation consent the link records the use on the way (web/portal/personal). */
  viaPortal?: boolean;
}) {
  const home = props.rp?.homeUri;
  if (!home || !/^https?:\/\//.test(home)) return null;
  return (
    <p class="start">
      <a
        class="button"
        href={props.viaPortal ? `/services/${props.rp!.serviceSlug}/start` : home}
        rel="noopener noreferrer"
      >
        {props.ctx.t('home.service.start')}
        <span class="visually-hidden">: {props.name}</span>
      </a>
    </p>
  );
}

export function HomePage(props: {
  ctx: PageContext;
  departments: DepartmentRow[];
  relyingParties?: RelyingParty[];
  /** Only with personalisation consent (P3.2.optional): otherwise the page is the same for everyone. */
  personal?: PersonalView;
}) {
  const { ctx, departments, personal } = props;
  const rpOf = (slug: string) => props.relyingParties?.find((r) => r.serviceSlug === slug);
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')} area="portal">
      {/* Signed in, the header shows them with a dismiss button (layout.tsx). */}
      {ctx.signedIn ? null : <Announcements ctx={ctx} dismiss={false} />}
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p>{t('home.intro')}</p>
        {ctx.signedIn ? null : (
          <p class="actions">
            <a class="button" href="/register">
              {t('auth.register.title')}
            </a>
            <a href="/login">{t('login.title')}</a>
          </p>
        )}
      </section>
      {ctx.signedIn ? (
        <NextSteps ctx={ctx} verified={ctx.signedIn.name !== undefined} />
      ) : (
        <section aria-labelledby="how-title">
          <h2 id="how-title">{t('home.how')}</h2>
          <ol class="steps">
            <li>{t('home.how.register')}</li>
            <li>{t('home.how.verify')}</li>
            <li>{t('home.how.use')}</li>
          </ol>
        </section>
      )}
      {personal ? <PersonalSections ctx={ctx} personal={personal} departments={departments} /> : null}
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
                      <StartService
                        ctx={ctx}
                        rp={rpOf(s.slug)}
                        name={s.name[locale]}
                        viaPortal={personal !== undefined}
                      />
                      {personal ? (
                        <FavouriteButton
                          ctx={ctx}
                          slug={s.slug}
                          on={personal.favourites.includes(s.slug)}
                          name={s.name[locale]}
                        />
                      ) : null}
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

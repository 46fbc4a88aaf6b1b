/** The privacy policy, one section per top-level clause, each with its own anchor. */
import { Layout, type PageContext } from '../../layout.tsx';
import { SECTIONS, sectionBody, sectionOf, sectionTitle } from './sections.ts';
import { RetentionSchedule } from './schedule.tsx';

export function PrivacyPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('privacy.title')} area="portal">
      <h1>{t('privacy.title')}</h1>
      <nav aria-labelledby="privacy-contents" class="contents">
        <h2 id="privacy-contents">{t('privacy.sections')}</h2>
        <ol>
          {SECTIONS.map((s) => (
            <li>
              <a href={`#${s}`}>{t(sectionTitle(s))}</a>
            </li>
          ))}
        </ol>
      </nav>
      {SECTIONS.map((s) => (
        <section id={s} aria-labelledby={`${s}-title`}>
          <h2 id={`${s}-title`}>{t(sectionTitle(s))}</h2>
          <p>{t(sectionBody(s))}</p>
          {s === 'P6' ? <RetentionSchedule ctx={props.ctx} /> : null}
        </section>
      ))}
      <p>{t('privacy.contact')}</p>
    </Layout>
  );
}

/**
 * Where a refusal's rule comes from, for a citizen: a plain link to the policy section, never
 * the bare clause ID (that stays in the API's problem details and the audit log). Nothing
 * when the clause belongs to no section.
 */
export function ClauseLink(props: { ctx: PageContext; clause: string | undefined }) {
  const section = sectionOf(props.clause);
  if (!section) return null;
  const { t } = props.ctx;
  return (
    <p class="muted clause">
      {t('clause.why')} <a href={`/privacy#${section}`}>{t(sectionTitle(section))}</a>
    </p>
  );
}

/**
 * The privacy policy (P9.version): the version in effect, in the reader's language, rendered
 * from its exact published text (policy module), section by section with its anchor `#P<n>`,
 * a table of contents, the live facts each section describes, and its text to download.
 */
import type { DepartmentRow, RelyingParty } from '../../../modules/catalogue/index.ts';
import { categories, purposes, type PurposeId } from '../../../modules/inventory/index.ts';
import type { Fact, PolicyDocument, PolicyText, VersionRecord } from '../../../modules/policy/index.ts';
import type { Partner } from '../../../modules/sharing/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ServiceNeeds } from '../home/service-needs.tsx';
import { RetentionSchedule } from './schedule.tsx';
import { sectionOf, sectionTitle } from './sections.ts';

export interface PolicyFacts {
  departments: DepartmentRow[];
  relyingParties: RelyingParty[];
  partners: Partner[];
  versions: VersionRecord[];
}

/** A day as China Standard Time reads it (the platform's time zone for people). */
export const chinaDay = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export const downloadPath = (version: string, language: string) =>
  `/privacy/versions/${encodeURIComponent(version)}/${language}.txt`;

export function PrivacyPage(props: {
  ctx: PageContext;
  doc: PolicyDocument;
  text: PolicyText;
  facts: PolicyFacts;
}) {
  const { ctx, doc, text } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={text.title} area="portal">
      <article class="policy">
        <h1>{text.title}</h1>
        <p class="muted">
          {t('privacy.version.line')
            .replace('{version}', doc.version)
            .replace('{date}', chinaDay(doc.effectiveFrom))}{' '}
          <a href={downloadPath(doc.version, doc.language)} download>
            {t('privacy.download')}
          </a>{' '}
          · <a href="/privacy/versions">{t('privacy.versions.link')}</a>
        </p>
        <nav aria-labelledby="privacy-contents" class="contents">
          <h2 id="privacy-contents">{t('privacy.sections')}</h2>
          <ol>
            {text.sections.map((s) => (
              <li>
                <a href={`#${s.id}`}>{s.title}</a>
              </li>
            ))}
          </ol>
        </nav>
        {text.sections.map((s) => (
          <section id={s.id} aria-labelledby={`${s.id}-title`}>
            <h2 id={`${s.id}-title`}>{s.title}</h2>
            {s.blocks.map((b) =>
              'paragraph' in b ? (
                <Paragraph text={b.paragraph} />
              ) : (
                <LiveFact ctx={ctx} fact={b.fact} facts={props.facts} />
              ),
            )}
          </section>
        ))}
        <p class="muted no-print">{t('privacy.print')}</p>
      </article>
    </Layout>
  );
}

/**
 * A paragraph of the policy, its clause IDs (P2.1, P9.accept) marked as references: a person
 * quotes them to the hotline as they quote error codes, and they read as such.
 */
function Paragraph(props: { text: string }) {
  const parts = props.text.split(/(\bP\d{1,2}(?:\.[0-9a-z]+)*\b)/);
  return <p>{parts.map((part, i) => (i % 2 === 1 ? <code class="clause-ref">{part}</code> : part))}</p>;
}

function LiveFact(props: { ctx: PageContext; fact: Fact; facts: PolicyFacts }) {
  const { ctx, facts } = props;
  const { t, locale } = ctx;
  switch (props.fact) {
    case 'services': {
      const rpOf = (slug: string) => facts.relyingParties.find((r) => r.serviceSlug === slug);
      return (
        <div class="fact">
          <h3>{t('privacy.facts.services')}</h3>
          <ul class="departments">
            {facts.departments.map((d) => (
              <li>
                <strong>{d.name[locale]}</strong>
                <ul>
                  {d.services.map((s) => (
                    <li>
                      {s.name[locale]}
                      {rpOf(s.slug) ? <ServiceNeeds ctx={ctx} rp={rpOf(s.slug)!} /> : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case 'cookies':
      return (
        <p class="fact">
          <a href="/cookies">{t('privacy.facts.cookies.link')}</a>
        </p>
      );
    case 'purposes':
      return (
        <dl class="fact purposes">
          {(Object.keys(purposes) as PurposeId[]).map((p) => (
            <>
              <dt>{purposes[p].label[locale]}</dt>
              <dd>{purposes[p].description[locale]}</dd>
            </>
          ))}
        </dl>
      );
    case 'partners':
      // A list, not a table: a partner's categories run long in Czech on a phone.
      return facts.partners.length === 0 ? (
        <p class="fact muted">{t('privacy.facts.none')}</p>
      ) : (
        <div class="fact">
          <h3>{t('privacy.facts.partners')}</h3>
          <ul class="partners">
            {facts.partners.map((p) => (
              <li>
                <strong>{p.name[locale] ?? p.slug}</strong>
                <dl>
                  <dt>{t('privacy.facts.categories')}</dt>
                  <dd>
                    {p.allowedCategories
                      .map((c) => categories[c as keyof typeof categories]?.label[locale] ?? c)
                      .join(', ')}
                  </dd>
                  <dt>{t('privacy.facts.region')}</dt>
                  <dd>{p.region}</dd>
                  <dt>{t('privacy.facts.agreement')}</dt>
                  <dd>
                    <code>{p.agreementRef}</code>
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        </div>
      );
    case 'retention':
      return <RetentionSchedule ctx={ctx} />;
    case 'versions':
      return (
        <p class="fact">
          <a href="/privacy/versions">{t('privacy.versions.link')}</a>
        </p>
      );
  }
}

/** Every version: when it took effect, whether it was material, and its texts to download. */
export function VersionsPage(props: {
  ctx: PageContext;
  versions: { record: VersionRecord; hashes: Record<string, string> }[];
  now: Date;
}) {
  const { ctx } = props;
  const { t, locale } = ctx;
  const current = props.versions.find((v) => v.record.effectiveFrom && v.record.effectiveFrom <= props.now);
  return (
    <Layout ctx={ctx} title={t('privacy.versions.title')} area="portal">
      <h1>{t('privacy.versions.title')}</h1>
      <p>{t('privacy.versions.intro')}</p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('privacy.versions.version')}</th>
              <th scope="col">{t('privacy.versions.effective')}</th>
              <th scope="col">{t('privacy.versions.change')}</th>
              <th scope="col">{t('privacy.versions.texts')}</th>
            </tr>
          </thead>
          <tbody>
            {props.versions.map(({ record: v, hashes }) => (
              <tr>
                <th scope="row">
                  {v.version}
                  {v === current?.record ? <span class="tag">{t('privacy.versions.current')}</span> : null}
                  {v.effectiveFrom && v.effectiveFrom > props.now ? (
                    <span class="tag">{t('privacy.versions.upcoming')}</span>
                  ) : null}
                </th>
                <td>{v.effectiveFrom ? chinaDay(v.effectiveFrom) : ''}</td>
                <td>
                  {t(v.material ? 'privacy.versions.material' : 'privacy.versions.minor')}
                  {v.material && v.summary[locale] ? <p>{v.summary[locale]}</p> : null}
                </td>
                <td>
                  <ul class="plain">
                    {Object.entries(hashes).map(([lang, hash]) => (
                      <li>
                        <a href={downloadPath(v.version, lang)} download>
                          {lang}
                        </a>{' '}
                        <code class="hash">sha256:{hash}</code>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href="/privacy">{t('privacy.title')}</a>
      </p>
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

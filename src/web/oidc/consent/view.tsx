import { fieldLabel } from '../../../modules/catalogue/index.ts';
import { isSensitive, purposes } from '../../../modules/inventory/index.ts';
import { partsOf, refOf, type PolicyDocument, type ShownText } from '../../../modules/policy/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import type { ConsentQuestion } from '../../../oidc/consent-screen.ts';
import { withNext } from '../../http/return-address.ts';

/** The parts of the `sso-consent-screen` document the screen is worded from. */
const PARTS = [
  'title',
  'intro',
  'department',
  'field',
  'purpose',
  'kept-for',
  'days',
  'required',
  'optional',
  'policy',
  'dpa',
  'sensitive',
  'withdraw',
  'allow',
  'deny',
] as const;

/** The screen's wording: one version of the policy document, in the page's language. */
export interface ScreenWording {
  document: PolicyDocument;
  w: Record<(typeof PARTS)[number], string>;
}

export const screenWording = (document: PolicyDocument): ScreenWording => ({
  document,
  w: partsOf(document, PARTS),
});

/**
 * The words the person agrees to: the document's wording filled in for this service and
 * the fields asked, in the document's language. Kept word for word as consent evidence.
 */
export function consentText(s: ScreenWording, q: ConsentQuestion): ShownText {
  const { w } = s;
  const locale = s.document.language;
  const text = [
    w.title,
    `${q.rp.serviceName[locale]} (${q.rp.departmentName[locale]}) ${w.intro}`,
    ...q.ask.map(
      (f) =>
        `${fieldLabel(f.field)[locale]}${isSensitive(f.field) ? ' *' : ''}: ${purposes[f.purpose].label[locale]}; ${w['kept-for']} ${f.retentionDays} ${w.days}; ${f.required ? w.required : w.optional}`,
    ),
    `${w.policy}: ${q.rp.policyUrl}`,
    `${w.dpa}: ${q.rp.dpaReference}`,
    ...(q.ask.some((f) => isSensitive(f.field)) ? [`* ${w.sensitive}`] : []),
    w.withdraw,
  ].join('\n');
  return { document: refOf(s.document), text };
}

/** A company the person may act for at this service (scope `company`). */
export interface ActingChoice {
  id: string;
  name: string;
  role: 'representative' | 'agent';
}

/** Whom the person acts for: themself (preselected) or one of the companies offered. */
const ActingFieldset = (props: { ctx: PageContext; choices: ActingChoice[] }) => {
  const { t } = props.ctx;
  return (
    <fieldset class="choices">
      <legend>{t('sso.acting.question')}</legend>
      <label>
        <input type="radio" name="acting" value="self" checked /> {t('sso.acting.self')}
      </label>
      {props.choices.map((c) => (
        <label>
          <input type="radio" name="acting" value={c.id} /> {c.name} (
          {t(c.role === 'representative' ? 'sso.acting.representative' : 'sso.acting.agent')})
        </label>
      ))}
    </fieldset>
  );
};

/** The field that says which wording the person read (`language/version`, see the POST). */
export const WORDING_FIELD = 'wording';
export const wordingRead = (d: PolicyDocument) => `${d.language}/${d.version}`;

export function ConsentPage(props: {
  ctx: PageContext;
  uid: string;
  q: ConsentQuestion;
  wording: ScreenWording;
  choices?: ActingChoice[];
  error?: string;
}) {
  const { ctx, q, uid } = props;
  const { t, locale } = ctx;
  const { w } = props.wording;
  const sensitive = q.ask.some((f) => isSensitive(f.field));
  const fields = q.ask.length > 0;
  const title = fields ? w.title : t('sso.acting.title');
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <h1>{title}</h1>
      {props.error ? (
        <p class="error" role="alert" id="consent-error">
          {props.error}
        </p>
      ) : null}
      <p>
        <strong>{q.rp.serviceName[locale]}</strong> {fields ? w.intro : t('sso.acting.intro')}
      </p>
      <dl class="facts">
        <dt>{w.department}</dt>
        <dd>{q.rp.departmentName[locale]}</dd>
        <dt>{w.policy}</dt>
        <dd>
          <a href={q.rp.policyUrl} rel="noopener">
            {q.rp.policyUrl}
          </a>
        </dd>
        <dt>{w.dpa}</dt>
        <dd>{q.rp.dpaReference}</dd>
      </dl>
      <form method="post" action={`/oidc/interaction/${uid}/consent`} class="stack">
        <input type="hidden" name={WORDING_FIELD} value={wordingRead(props.wording.document)} />
        {props.choices?.length ? <ActingFieldset ctx={ctx} choices={props.choices} /> : null}
        {fields ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{w.field}</th>
                <th scope="col">{w.purpose}</th>
                <th scope="col">{w['kept-for']}</th>
              </tr>
            </thead>
            <tbody>
              {q.ask.map((f) => (
                <tr>
                  <td data-label={w.field}>
                    {f.required ? (
                      <span>
                        {fieldLabel(f.field)[locale]}
                        {isSensitive(f.field) ? ' *' : ''} ({w.required})
                      </span>
                    ) : (
                      <label>
                        <input type="checkbox" name="field" value={f.field} /> {fieldLabel(f.field)[locale]}
                        {isSensitive(f.field) ? ' *' : ''} ({w.optional})
                      </label>
                    )}
                  </td>
                  <td data-label={w.purpose}>{purposes[f.purpose].label[locale]}</td>
                  <td data-label={w['kept-for']}>
                    {f.retentionDays} {w.days}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {sensitive ? (
          <label>
            <input type="checkbox" name="sensitive" value="yes" /> * {w.sensitive}
          </label>
        ) : null}
        {fields ? <p class="muted">{w.withdraw}</p> : null}
        <div class="actions">
          <button type="submit" name="decision" value="allow">
            {w.allow}
          </button>
          <button type="submit" name="decision" value="deny" class="secondary">
            {w.deny}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function LevelPage(props: { ctx: PageContext; needed: number; have: number; next: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('sso.level.title')} area="portal">
      <h1>{t('sso.level.title')}</h1>
      <p>
        {t('sso.level.body')} (L{props.have} → L{props.needed})
      </p>
      <p>
        <a class="button" href={withNext('/me/verify', props.next)}>
          {t('sso.level.verify')}
        </a>
      </p>
    </Layout>
  );
}

/** Shown for an instant while the browser continues to the service. */
export function ContinuePage(props: { ctx: PageContext; to: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('sso.continue')} area="portal">
      <p>
        <a href={props.to} id="continue">
          {t('sso.continue')}
        </a>
      </p>
    </Layout>
  );
}

import { fieldLabel } from '../modules/catalogue/index.ts';
import { isSensitive, purposes } from '../modules/inventory/index.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { ConsentQuestion } from './consent-screen.ts';

/** The words the person agrees to, in their language: kept (hashed) as consent evidence. */
export function consentText(ctx: PageContext, q: ConsentQuestion): string {
  const { t, locale } = ctx;
  return [
    `${q.rp.serviceName[locale]} (${q.rp.departmentName[locale]}) ${t('sso.consent.intro')}`,
    ...q.ask.map(
      (f) =>
        `${fieldLabel(f.field)[locale]}: ${purposes[f.purpose].label[locale]}; ${t('sso.consent.keptFor')} ${f.retentionDays} ${t('sso.consent.days')}; ${t(f.required ? 'sso.consent.required' : 'sso.consent.optional')}`,
    ),
    `${t('sso.consent.policy')}: ${q.rp.policyUrl}`,
    `${t('sso.consent.dpa')}: ${q.rp.dpaReference}`,
  ].join('\n');
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

export function ConsentPage(props: {
  ctx: PageContext;
  uid: string;
  q: ConsentQuestion;
  choices?: ActingChoice[];
  error?: string;
}) {
  const { ctx, q, uid } = props;
  const { t, locale } = ctx;
  const sensitive = q.ask.some((f) => isSensitive(f.field));
  const fields = q.ask.length > 0;
  const title = fields ? t('sso.consent.title') : t('sso.acting.title');
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <h1>{title}</h1>
      {props.error ? (
        <p class="error" role="alert" id="consent-error">
          {props.error}
        </p>
      ) : null}
      <p>
        <strong>{q.rp.serviceName[locale]}</strong> {fields ? t('sso.consent.intro') : t('sso.acting.intro')}
      </p>
      <dl class="facts">
        <dt>{t('sso.consent.department')}</dt>
        <dd>{q.rp.departmentName[locale]}</dd>
        <dt>{t('sso.consent.policy')}</dt>
        <dd>
          <a href={q.rp.policyUrl} rel="noopener">
            {q.rp.policyUrl}
          </a>
        </dd>
        <dt>{t('sso.consent.dpa')}</dt>
        <dd>{q.rp.dpaReference}</dd>
      </dl>
      <form method="post" action={`/oidc/interaction/${uid}/consent`} class="stack">
        {props.choices?.length ? <ActingFieldset ctx={ctx} choices={props.choices} /> : null}
        {fields ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sso.consent.field')}</th>
                <th scope="col">{t('sso.consent.purpose')}</th>
                <th scope="col">{t('sso.consent.keptFor')}</th>
              </tr>
            </thead>
            <tbody>
              {q.ask.map((f) => (
                <tr>
                  <td>
                    {f.required ? (
                      <span>
                        {fieldLabel(f.field)[locale]}
                        {isSensitive(f.field) ? ' *' : ''} ({t('sso.consent.required')})
                      </span>
                    ) : (
                      <label>
                        <input type="checkbox" name="field" value={f.field} /> {fieldLabel(f.field)[locale]}
                        {isSensitive(f.field) ? ' *' : ''} ({t('sso.consent.optional')})
                      </label>
                    )}
                  </td>
                  <td>{purposes[f.purpose].label[locale]}</td>
                  <td>
                    {f.retentionDays} {t('sso.consent.days')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {sensitive ? (
          <label>
            <input type="checkbox" name="sensitive" value="yes" /> * {t('sso.consent.sensitive')}
          </label>
        ) : null}
        {fields ? <p class="muted">{t('sso.consent.withdraw')}</p> : null}
        <div class="actions">
          <button type="submit" name="decision" value="allow">
            {t('sso.consent.allow')}
          </button>
          <button type="submit" name="decision" value="deny" class="secondary">
            {t('sso.consent.deny')}
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
        <a class="button" href={`/me/verify?next=${encodeURIComponent(props.next)}`}>
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

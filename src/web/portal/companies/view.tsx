/** Company pages: my companies, bind a company, a company's agents, whom I act for. */
import type { CompanyView, AgentView, Power } from '../../../modules/company/index.ts';
import { POWERS } from '../../../modules/company/index.ts';
import { listOf } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ErrorSummary, Field, FieldMessage } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';

export interface Flash {
  /** A refusal on its field (web/forms); the summary at the top links to it. */
  errors?: FieldError[] | undefined;
  status?: string | undefined;
}

const Messages = (props: { flash: Flash }) => (
  <>
    {props.flash.status ? (
      <p class="notice" role="status">
        {props.flash.status}
      </p>
    ) : null}
  </>
);

const day = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(d);
const scopeNames = (ctx: PageContext, scopes: Power[]) =>
  listOf(
    ctx.locale,
    scopes.map((s) => ctx.t(`company.scope.${s}`)),
  );

const ActForm = (props: { ctx: PageContext; companyId: string | null; label: string }) => (
  <form method="post" action="/me/acting">
    <input type="hidden" name="companyId" value={props.companyId ?? ''} />
    <button type="submit">{props.label}</button>
  </form>
);

export function CompaniesPage(props: {
  ctx: PageContext;
  companies: CompanyView[];
  actingId?: string | undefined;
  flash: Flash;
  creditCode?: string;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('company.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={props.flash.errors} />
      <h1>{t('company.title')}</h1>
      <p>{t('company.intro')}</p>
      <Messages flash={props.flash} />
      <h2>{t('company.acting.title')}</h2>
      <p>
        {t('company.acting.now')}: <strong>{ctx.actingFor ?? t('company.acting.self')}</strong>
      </p>
      {props.actingId ? <ActForm ctx={ctx} companyId={null} label={t('company.acting.forSelf')} /> : null}
      {props.companies.length === 0 ? (
        <p>{t('company.empty')}</p>
      ) : (
        <table class="companies">
          <thead>
            <tr>
              <th scope="col">{t('company.name')}</th>
              <th scope="col">{t('company.role')}</th>
              <th scope="col">{t('company.scopes')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('company.acting.title')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.companies.map((c) => (
              <tr>
                <td data-label={t('company.name')}>
                  <a href={`/me/companies/${c.id}`}>{c.name}</a>
                  {c.status === 'revoked' ? (
                    <span class="muted"> · {t('company.status.revoked')}</span>
                  ) : null}
                </td>
                <td data-label={t('company.role')}>
                  {t(`company.role.${c.role}`)}
                  {c.validUntil ? (
                    <span class="muted">
                      {' '}
                      · {t('company.until')} {day(ctx, c.validUntil)}
                    </span>
                  ) : null}
                </td>
                <td data-label={t('company.scopes')}>{scopeNames(ctx, c.powers)}</td>
                <td data-label="">
                  {props.actingId === c.id ? null : (
                    <ActForm
                      ctx={ctx}
                      companyId={c.id}
                      label={`${t('company.acting.forCompany')}: ${c.name}`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('company.bind.title')}</h2>
      <p id="bind-intro">{t('company.bind.intro')}</p>
      <form method="post" action="/me/companies" class="stack" aria-describedby="bind-intro" novalidate>
        <Field
          id="creditCode"
          label={t('company.bind.code')}
          autocomplete="off"
          required
          value={props.creditCode ?? ''}
          errors={props.flash.errors}
          attrs={{ maxlength: '40', spellcheck: 'false' }}
        />
        <button type="submit">{t('company.bind.submit')}</button>
      </form>
    </Layout>
  );
}

/** The first power's checkbox: a refusal about the powers links to it. */
export const SCOPES_FIELD = 'scope-first';

export function CompanyPage(props: {
  ctx: PageContext;
  company: CompanyView & { agents?: AgentView[] };
  acting: boolean;
  flash: Flash;
  form?: { phone?: string; scopes?: string[]; validUntil?: string };
}) {
  const { ctx, company: c } = props;
  const { t } = ctx;
  const f = props.form ?? {};
  const scopesError = props.flash.errors?.some((e) => e.field === SCOPES_FIELD);
  return (
    <Layout ctx={ctx} title={c.name} area="portal">
      <ErrorSummary ctx={ctx} errors={props.flash.errors} />
      <p>
        <a href="/me/companies">{t('company.back')}</a>
      </p>
      <h1>{c.name}</h1>
      <Messages flash={props.flash} />
      <dl class="facts">
        <dt>{t('company.status')}</dt>
        <dd>{t(`company.status.${c.status}`)}</dd>
        <dt>{t('company.role')}</dt>
        <dd>{t(`company.role.${c.role}`)}</dd>
        <dt>{t('company.scopes')}</dt>
        <dd>{scopeNames(ctx, c.powers)}</dd>
      </dl>
      {props.acting ? (
        <ActForm ctx={ctx} companyId={null} label={t('company.acting.forSelf')} />
      ) : (
        <ActForm ctx={ctx} companyId={c.id} label={t('company.acting.forCompany')} />
      )}
      <h2>{t('company.agents.title')}</h2>
      {!c.agents ? (
        <p>{t('company.agents.noManage')}</p>
      ) : (
        <>
          <p>{t('company.agents.intro')}</p>
          {c.agents.length === 0 ? (
            <p>{t('company.agents.empty')}</p>
          ) : (
            <table class="agents">
              <thead>
                <tr>
                  <th scope="col">{t('company.agents.who')}</th>
                  <th scope="col">{t('company.scopes')}</th>
                  <th scope="col">{t('company.until')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('company.agents.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.agents.map((a) => (
                  <tr>
                    <td data-label={t('company.agents.who')}>{a.label}</td>
                    <td data-label={t('company.scopes')}>{scopeNames(ctx, a.powers)}</td>
                    <td data-label={t('company.until')}>{day(ctx, a.validUntil)}</td>
                    <td data-label="">
                      <form method="post" action={`/me/companies/${c.id}/agents/${a.id}/revoke`}>
                        <button type="submit" aria-label={`${t('company.agents.revoke')}: ${a.label}`}>
                          {t('company.agents.revoke')}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('company.agents.add')}</h3>
          <form method="post" action={`/me/companies/${c.id}/agents`} class="stack" novalidate>
            <Field
              id="phone"
              label={t('company.agents.phone')}
              type="tel"
              inputmode="tel"
              required
              value={f.phone ?? ''}
              errors={props.flash.errors}
            />
            <fieldset class="scopes" aria-describedby={scopesError ? `${SCOPES_FIELD}-error` : undefined}>
              <legend>{t('company.scopes')}</legend>
              <FieldMessage id={SCOPES_FIELD} errors={props.flash.errors} />
              {POWERS.map((s, i) => (
                <label>
                  <input
                    type="checkbox"
                    name="scopes"
                    value={s}
                    id={i === 0 ? SCOPES_FIELD : undefined}
                    aria-invalid={i === 0 && scopesError ? 'true' : undefined}
                    checked={f.scopes?.includes(s) ?? false}
                  />{' '}
                  {t(`company.scope.${s}`)}
                </label>
              ))}
            </fieldset>
            <Field
              id="validUntil"
              label={t('company.agents.until')}
              type="date"
              required
              value={f.validUntil ?? ''}
              errors={props.flash.errors}
            />
            <button type="submit">{t('company.agents.submit')}</button>
          </form>
        </>
      )}
    </Layout>
  );
}

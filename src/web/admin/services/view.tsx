import { fieldLabel, type RelyingParty } from '../../../modules/catalogue/index.ts';
import { purposes } from '../../../modules/inventory/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export interface ServicesView {
  relyingParties: RelyingParty[];
  /** What the form shows: what was typed, or the registration being edited (formOf). */
  form?: Record<string, string>;
  error?: string;
  /** A secret issued by the last change: shown once. */
  secret?: { clientId: string; value: string };
}

/** `field purpose days required|optional`, one per line: the console's field list format. */
export const fieldsToText = (rp: RelyingParty) =>
  rp.fields
    .map((f) => `${f.field} ${f.purpose} ${f.retentionDays} ${f.required ? 'required' : 'optional'}`)
    .join('\n');

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const ID_TOKEN_ALGS = ['ES256', 'RS256'] as const;

/**
 * A registration as the form's fields, so that editing a service shows, and saving it
 * keeps, every setting it has (signing algorithm, grant types, logout URIs).
 */
export const formOf = (rp: RelyingParty): Record<string, string> => ({
  clientId: rp.clientId,
  serviceSlug: rp.serviceSlug,
  redirectUris: rp.redirectUris.join(' '),
  postLogoutRedirectUris: rp.postLogoutRedirectUris.join(' '),
  backchannelLogoutUri: rp.backchannelLogoutUri ?? '',
  riscPushEndpoint: rp.riscPushEndpoint ?? '',
  frontchannelLogoutUri: rp.frontchannelLogoutUri ?? '',
  policyUrl: rp.policyUrl,
  homeUri: rp.homeUri ?? '',
  dpaReference: rp.dpaReference,
  assuranceLevel: String(rp.assuranceLevel),
  fields: fieldsToText(rp),
  idTokenAlg: rp.idTokenAlg,
  grantTypes: rp.grantTypes.join(' '),
  offlineDelivery: rp.offlineDelivery ? 'yes' : '',
});

export function ServicesPage(props: { ctx: PageContext; view: ServicesView }) {
  const { t, locale } = props.ctx;
  const { relyingParties, form = {}, error, secret } = props.view;
  const input = (name: string, label: string, required = true) => (
    <>
      <label for={name}>{label}</label>
      <input id={name} name={name} value={form[name] ?? ''} required={required} />
    </>
  );
  return (
    <Layout ctx={props.ctx} title={t('admin.services.title')} area="admin">
      <h1>{t('admin.services.title')}</h1>
      {error ? (
        <p class="error" role="alert" id="rp-error">
          {error}
        </p>
      ) : null}
      {secret ? (
        <p class="notice" role="status">
          {t('admin.services.secret')} <code>{secret.clientId}</code>:{' '}
          <code id="client-secret">{secret.value}</code>
        </p>
      ) : null}
      <table>
        <caption>{t('admin.services.registered')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.services.service')}</th>
            <th scope="col">{t('admin.services.level')}</th>
            <th scope="col">{t('admin.services.fields')}</th>
            <th scope="col">{t('admin.services.policy')}</th>
            <th scope="col">{t('admin.services.idTokenAlg')}</th>
            <th scope="col">{t('admin.services.grantTypes')}</th>
            <th scope="col">{t('admin.services.logout')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('admin.services.edit')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {relyingParties.map((rp) => (
            <tr>
              <td>
                {rp.serviceName[locale]} <code>{rp.clientId}</code>
              </td>
              <td>L{rp.assuranceLevel}</td>
              <td>
                <ul>
                  {rp.fields.map((f) => (
                    <li>
                      {fieldLabel(f.field)[locale]}: {purposes[f.purpose].label[locale]}, {f.retentionDays}{' '}
                      {t('sso.consent.days')}
                      {f.required ? '' : ` (${t('sso.consent.optional')})`}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <a href={rp.policyUrl}>{rp.policyUrl}</a> · {rp.dpaReference}
              </td>
              <td>{rp.idTokenAlg}</td>
              <td>{rp.grantTypes.join(', ')}</td>
              <td>
                <ul>
                  {rp.postLogoutRedirectUris.map((u) => (
                    <li>
                      {t('admin.services.postLogout')}: <code>{u}</code>
                    </li>
                  ))}
                  {rp.backchannelLogoutUri ? (
                    <li>
                      {t('admin.services.backchannel')}: <code>{rp.backchannelLogoutUri}</code>
                    </li>
                  ) : null}
                  {rp.riscPushEndpoint ? (
                    <li>
                      {t('admin.services.risc')}: <code>{rp.riscPushEndpoint}</code>
                    </li>
                  ) : null}
                  {rp.frontchannelLogoutUri ? (
                    <li>
                      {t('admin.services.frontchannel')}: <code>{rp.frontchannelLogoutUri}</code>
                    </li>
                  ) : null}
                </ul>
              </td>
              <td>
                <a href={`/admin/services?edit=${encodeURIComponent(rp.clientId)}#change`}>
                  {t('admin.services.edit')} <span class="visually-hidden">{rp.clientId}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="change">{t('admin.services.change')}</h2>
      <form
        method="post"
        action="/admin/services"
        class="stack"
        aria-describedby={error ? 'rp-error' : undefined}
      >
        {input('clientId', t('admin.services.clientId'))}
        {input('serviceSlug', t('admin.services.serviceSlug'))}
        {input('redirectUris', t('admin.services.redirectUris'))}
        {input('postLogoutRedirectUris', t('admin.services.postLogout'), false)}
        {input('backchannelLogoutUri', t('admin.services.backchannel'), false)}
        {input('frontchannelLogoutUri', t('admin.services.frontchannel'), false)}
        {input('riscPushEndpoint', t('admin.services.risc'), false)}
        {input('policyUrl', t('admin.services.policy'))}
        {input('homeUri', t('admin.services.home'), false)}
        {input('dpaReference', t('admin.services.dpa'))}
        {input('assuranceLevel', t('admin.services.level'))}
        <label for="idTokenAlg">{t('admin.services.idTokenAlg')}</label>
        <select id="idTokenAlg" name="idTokenAlg">
          {ID_TOKEN_ALGS.map((alg) => (
            <option value={alg} selected={(form['idTokenAlg'] ?? 'ES256') === alg}>
              {alg}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{t('admin.services.grantTypes')}</legend>
          {/* Always sent, so that a post without any box ticked is told from an old form. */}
          <input type="hidden" name="grantTypes" value="" />
          {GRANT_TYPES.map((g) => (
            <label>
              <input
                type="checkbox"
                name="grantTypes"
                value={g}
                checked={(form['grantTypes'] ?? 'authorization_code refresh_token')
                  .split(/[\s,]+/)
                  .includes(g)}
              />{' '}
              {t(`admin.services.grant.${g}`)} <code>{g}</code>
            </label>
          ))}
        </fieldset>
        <label for="fields">{t('admin.services.fieldsHelp')}</label>
        <textarea id="fields" name="fields" rows={5}>
          {form['fields'] ?? ''}
        </textarea>
        <label>
          <input
            type="checkbox"
            name="offlineDelivery"
            value="yes"
            checked={form['offlineDelivery'] === 'yes'}
          />{' '}
          {t('admin.services.offlineDelivery')}
        </label>
        <label>
          <input type="checkbox" name="issueSecret" value="yes" /> {t('admin.services.issueSecret')}
        </label>
        <button type="submit">{t('admin.services.save')}</button>
      </form>
    </Layout>
  );
}

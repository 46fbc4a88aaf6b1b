/** Delivery by post (P2.4): the contact form a service sends the person to, and "My deliveries". */
import type { RelyingParty } from '../../../modules/catalogue/index.ts';
import { ErrorSummary, FieldMessage, fieldAria } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import type { DeliveryAsk, DeliveryView } from '../../../modules/delivery/index.ts';
import { purposes } from '../../../modules/inventory/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Contact, MyDataNav } from '../me/view.tsx';

const when = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(d);

/** The department's request, carried through the form unchanged. */
const AskFields = (props: { ask: DeliveryAsk }) => (
  <>
    <input type="hidden" name="client_id" value={props.ask.client_id} />
    <input type="hidden" name="application" value={props.ask.application} />
    <input type="hidden" name="redirect_uri" value={props.ask.redirect_uri} />
    {props.ask.state ? <input type="hidden" name="state" value={props.ask.state} /> : null}
  </>
);

export function DeliveryPage(props: {
  ctx: PageContext;
  rp: RelyingParty;
  ask: DeliveryAsk;
  kept?: Record<string, string>;
  /** Refused fields (ids `delivery-<name>`), for the error summary and the fields. */
  errors?: FieldError[] | undefined;
}) {
  const { ctx, rp, ask } = props;
  const { t, locale } = ctx;
  const kept = props.kept ?? {};
  const input = (name: 'recipient' | 'phone' | 'address', type = 'text') => (
    <>
      <label for={`delivery-${name}`}>{t(`delivery.${name}`)}</label>
      <FieldMessage id={`delivery-${name}`} errors={props.errors} />
      {name === 'address' ? (
        <textarea
          id={`delivery-${name}`}
          name={name}
          rows={3}
          required
          maxlength={200}
          {...fieldAria(`delivery-${name}`, props.errors)}
        >
          {kept[name] ?? ''}
        </textarea>
      ) : (
        <input
          id={`delivery-${name}`}
          name={name}
          type={type}
          required
          value={kept[name] ?? ''}
          autocomplete={name === 'phone' ? 'tel-national' : 'name'}
          inputmode={name === 'phone' ? 'numeric' : undefined}
          {...fieldAria(`delivery-${name}`, props.errors)}
        />
      )}
    </>
  );
  return (
    <Layout ctx={ctx} title={t('delivery.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <h1>{t('delivery.title')}</h1>
      <p>
        <strong>{rp.serviceName[locale]}</strong> {t('delivery.intro')} <strong>{ask.application}</strong>
      </p>
      <dl class="facts">
        <dt>{t('delivery.who')}</dt>
        <dd>
          {rp.departmentName[locale]}: {t('delivery.whoValue')}
        </dd>
        <dt>{t('delivery.why')}</dt>
        <dd>{purposes['offline-delivery'].description[locale]}</dd>
        <dt>{t('delivery.kept')}</dt>
        <dd>{t('delivery.keptValue')}</dd>
        <dt>{t('delivery.policy')}</dt>
        <dd>
          <a href={rp.policyUrl} rel="noopener">
            {rp.policyUrl}
          </a>
        </dd>
      </dl>
      <p class="muted">{t('delivery.notProfile')}</p>
      <form method="post" action="/delivery" class="stack" novalidate>
        <AskFields ask={ask} />
        {input('recipient')}
        {input('phone', 'tel')}
        {input('address')}
        <button type="submit">{t('delivery.give')}</button>
      </form>
      <form method="post" action="/delivery/decline">
        <AskFields ask={ask} />
        <button type="submit" class="secondary">
          {t('delivery.decline')}
        </button>
      </form>
    </Layout>
  );
}

const stateOf = (d: DeliveryView) =>
  d.erasedBy === 'person'
    ? 'delivery.state.erasedPerson'
    : d.erasedBy === 'retention'
      ? 'delivery.state.erasedRetention'
      : d.closedAt
        ? 'delivery.state.closed'
        : d.releasedAt
          ? 'delivery.state.released'
          : 'delivery.state.given';

export function MyDeliveriesPage(props: { ctx: PageContext; rows: DeliveryView[]; erased?: boolean }) {
  const { ctx } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('delivery.mine.title')} area="portal">
      <MyDataNav ctx={ctx} current="deliveries" />
      <h1>{t('delivery.mine.title')}</h1>
      <p>{t('delivery.mine.intro')}</p>
      {props.erased ? (
        <p class="notice" role="status">
          {t('delivery.erased')}
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p>{t('delivery.mine.empty')}</p>
      ) : (
        <table class="deliveries">
          <thead>
            <tr>
              <th scope="col">{t('delivery.mine.service')}</th>
              <th scope="col">{t('delivery.mine.application')}</th>
              <th scope="col">{t('delivery.mine.contact')}</th>
              <th scope="col">{t('delivery.mine.state')}</th>
              <th scope="col">{t('delivery.mine.deleteAfter')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((d) => (
              <tr>
                <td data-label={t('delivery.mine.service')}>
                  {d.serviceName[locale]}
                  <span class="muted"> · {d.departmentName[locale]}</span>
                </td>
                <td data-label={t('delivery.mine.application')}>{d.application}</td>
                <td data-label={t('delivery.mine.contact')}>
                  {d.contact ? (
                    <>
                      {d.contact.recipient}, {d.contact.phone}
                      <br />
                      {d.contact.address}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td data-label={t('delivery.mine.state')}>{t(stateOf(d))}</td>
                <td data-label={t('delivery.mine.deleteAfter')}>
                  {d.erasedAt ? (
                    when(ctx, d.erasedAt)
                  ) : (
                    <>
                      {when(ctx, d.deleteAfter)}
                      <form method="post" action={`/me/deliveries/${d.id}/erase`}>
                        <button
                          type="submit"
                          class="secondary"
                          aria-label={`${t('delivery.erase')}: ${d.serviceName[locale]} ${d.application}`}
                        >
                          {t('delivery.erase')}
                        </button>
                      </form>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Contact ctx={ctx} />
    </Layout>
  );
}

/** The person's e-mail address (/me/email) and the one-click unsubscribe page (P8.1, P8.5). */
import type { EmailOverview } from '../../../modules/notify/index.ts';
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';

const when = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(d);

export function EmailPage(props: {
  ctx: PageContext;
  email: EmailOverview;
  status?: string | undefined;
  errors?: FieldError[] | undefined;
  /** What the person typed, kept when a form is refused. */
  typed?: string | undefined;
}) {
  const { ctx, email } = props;
  const { t } = ctx;
  const v = email.verified;
  const pending = email.pending;
  return (
    <Layout ctx={ctx} title={t('email.title')} area="portal">
      <MyDataNav ctx={ctx} current="email" />
      <h1>{t('email.title')}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.status ? (
        <p class="notice" role="status">
          {props.status}
        </p>
      ) : null}
      <p>{t('email.intro')}</p>
      {v ? (
        <section aria-labelledby="email-current">
          <h2 id="email-current">{t('email.current')}</h2>
          <p>
            <strong data-email>{v.address}</strong>
            <br />
            {t('email.verifiedOn')}: {when(ctx, v.verifiedAt)}
          </p>
          {v.bounced ? (
            <p class="warning" role="alert" data-bounced>
              {t('email.bounced')}
            </p>
          ) : null}
          <form method="post" action="/me/email/remove">
            <button type="submit" class="danger">
              {t('email.remove')}
            </button>
          </form>
        </section>
      ) : (
        <p>{t('email.none')}</p>
      )}
      {pending ? (
        <section aria-labelledby="email-pending">
          <h2 id="email-pending">
            {t('email.pending')} <span data-pending>{pending.address}</span>
          </h2>
          <form method="post" action="/me/email/verify" class="stack">
            <Field
              id="code"
              label={t('email.code')}
              errors={props.errors}
              inputmode="numeric"
              autocomplete="one-time-code"
              required
            />
            <button type="submit">{t('email.verify')}</button>
          </form>
          <form method="post" action="/me/email/resend">
            <button type="submit" class="secondary">
              {t('email.resend')}
            </button>
          </form>
          <form method="post" action="/me/email/cancel">
            <button type="submit" class="secondary">
              {t('email.cancel')}
            </button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="email-add">
        <h2 id="email-add">{v ? t('email.change') : t('email.add')}</h2>
        <form method="post" action="/me/email" class="stack">
          <Field
            id="email"
            label={t('email.address')}
            hint={v ? t('email.changeHint') : undefined}
            errors={props.errors}
            type="email"
            inputmode="email"
            autocomplete="email"
            value={props.typed}
            required
          />
          <button type="submit">{t('email.send')}</button>
        </form>
      </section>
    </Layout>
  );
}

export function UnsubscribePage(props: {
  ctx: PageContext;
  kind?: string | undefined;
  action: string;
  done?: boolean;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('unsubscribe.title')} area="portal">
      <h1>{t('unsubscribe.title')}</h1>
      {!props.kind ? (
        <p>{t('unsubscribe.invalid')}</p>
      ) : props.done ? (
        <p role="status">{t('unsubscribe.done')}</p>
      ) : (
        <form method="post" action={props.action} class="stack">
          <p>
            {t('unsubscribe.ask')} <strong>{t(`unsubscribe.kind.${props.kind}` as MessageKey)}</strong>
          </p>
          <button type="submit">{t('unsubscribe.do')}</button>
        </form>
      )}
    </Layout>
  );
}

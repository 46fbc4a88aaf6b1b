/** /me/close "Close my account" (P8.5.cancel): what happens first, then the request or its undo. */
import type { ClosurePreview } from '../../../modules/closure/index.ts';
import { ErrorSummary, FieldMessage, fieldAria } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ExemptionList } from '../requests/view.tsx';
import type { MessageKey } from '../../i18n/index.ts';

const dayText = (ctx: PageContext, day: string) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(
    new Date(`${day}T12:00:00+08:00`),
  );

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

export function ClosePage(props: {
  ctx: PageContext;
  preview: ClosurePreview;
  undone?: boolean | undefined;
  understood?: boolean | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { ctx, preview: p } = props;
  const { t } = ctx;
  const name = (n: Record<string, string>) => n[ctx.locale] ?? n['zh-CN'] ?? Object.values(n)[0] ?? '';
  const blocked = p.blockers.companies.length > 0;
  return (
    <Layout ctx={ctx} title={t('close.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <h1>{t('close.title')}</h1>
      {props.undone ? <p role="status">{t('close.undone')}</p> : null}
      {p.waiting ? (
        <section aria-labelledby="close-waiting" data-closure={p.waiting.id}>
          <h2 id="close-waiting">{t('close.when')}</h2>
          <p role="status">{fill(t('close.waiting'), { closes: dayText(ctx, p.waiting.closesDay) })}</p>
          <p class="muted">
            {fill(t('close.waitingAsked'), {
              asked: new Intl.DateTimeFormat(ctx.locale, {
                dateStyle: 'long',
                timeStyle: 'short',
                timeZone: 'Asia/Shanghai',
              }).format(p.waiting.requestedAt),
            })}
          </p>
          <form method="post" action="/me/close/undo">
            <button type="submit">{t('close.undo')}</button>
          </form>
        </section>
      ) : (
        <p>{t('close.intro')}</p>
      )}
      <section aria-labelledby="close-services">
        <h2 id="close-services">{t('close.services')}</h2>
        {p.services.length === 0 ? (
          <p>{t('close.noServices')}</p>
        ) : (
          <>
            <p>{t('close.servicesIntro')}</p>
            <ul class="services">
              {p.services.map((s) => (
                <li data-client={s.clientId}>
                  {name(s.name as Record<string, string>)}
                  {s.policyUrl ? (
                    <>
                      {' '}
                      (<a href={s.policyUrl}>{t('close.policy')}</a>)
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="close-erased">
        <h2 id="close-erased">{t('close.erased')}</h2>
        <p>{t('close.erasedIntro')}</p>
        <ul>
          {p.erased.map((l) => (
            <li>{l[ctx.locale]}</li>
          ))}
        </ul>
      </section>
      <ExemptionList ctx={ctx} exemptions={p.kept} />
      {p.held.length > 0 ? (
        <section aria-labelledby="close-held">
          <h2 id="close-held">{t('close.held')}</h2>
          <p>
            {fill(t('close.heldText'), {
              bases: [...new Set(p.held.map((h) => t(`hold.basis.${h.basis}` as MessageKey)))].join(', '),
            })}
          </p>
        </section>
      ) : null}
      {p.waiting ? null : (
        <>
          <section aria-labelledby="close-when">
            <h2 id="close-when">{t('close.when')}</h2>
            <p>
              {fill(t('close.whenText'), {
                closes: dayText(ctx, p.closesDay),
                due: dayText(ctx, p.dueDay),
              })}
            </p>
          </section>
          <section aria-labelledby="close-first">
            <h2 id="close-first">{t('close.first')}</h2>
            <p>
              {t('close.download')} <a href="/me/export">{t('close.downloadLink')}</a>
            </p>
            {blocked ? (
              <div class="callout" id="close-blocked">
                <p>{t('close.blocked')}</p>
                <ul>
                  {p.blockers.companies.map((c) => (
                    <li>{c.name}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
          {blocked ? null : (
            <form method="post" action="/me/close" class="stack" novalidate>
              <FieldMessage id="close-understood" errors={props.errors} />
              <div class="checkbox">
                <input
                  type="checkbox"
                  id="close-understood"
                  name="understood"
                  value="yes"
                  checked={props.understood}
                  {...fieldAria('close-understood', props.errors)}
                />
                <label for="close-understood">{t('close.understood')}</label>
              </div>
              <button type="submit" class="warning">
                {t('close.submit')}
              </button>
            </form>
          )}
          <p class="muted">{t('close.support')}</p>
        </>
      )}
    </Layout>
  );
}

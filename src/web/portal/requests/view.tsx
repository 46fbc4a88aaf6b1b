/**
 * "My rights requests" (P8.2–P8.4, P8.6): the person's requests with their state and
 * deadline, a form to make one, what can never be deleted and why (before they ask), and
 * one request's page with its history, the answer, its reason and how to complain.
 */
import type { EventRow, Exemption, RequestView } from '../../../modules/rights/index.ts';
import { requestKinds } from '../../../modules/rights/index.ts';
import { categories as categorySpecs, type Category } from '../../../modules/inventory/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { ErrorSummary, FieldMessage, fieldAria } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';

const day = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(d);
const minute = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(d);
/** The last day of a deadline (`YYYY-MM-DD` in China), as the person reads dates. */
const lastDay = (ctx: PageContext, ymd: string) =>
  new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${ymd}T00:00:00Z`),
  );

const kindText = (ctx: PageContext, kind: string) => ctx.t(`rights.kind.${kind}` as MessageKey);
const stateText = (ctx: PageContext, state: string) => ctx.t(`rights.state.${state}` as MessageKey);

/** Where questions and complaints about rights go (P8.6): on every rights page. */
export const RightsContact = (props: { ctx: PageContext }) => (
  <p class="muted contact">
    {props.ctx.t('rights.contact')} <a href="/privacy#P10">{props.ctx.t('rights.contactLink')}</a>
  </p>
);

export interface RequestForm {
  kind: string;
  categories: string[];
  details: string;
}

export function ExemptionList(props: { ctx: PageContext; exemptions: Exemption[] }) {
  const { ctx } = props;
  return (
    <section aria-labelledby="exemptions-title">
      <h2 id="exemptions-title">{ctx.t('rights.exemptions')}</h2>
      <p>{ctx.t('rights.exemptionsIntro')}</p>
      <dl class="facts exemptions">
        {props.exemptions.map((e) => (
          <>
            <dt id={`exemption-${e.basis}`}>{e.label[ctx.locale]}</dt>
            <dd>
              <p>{ctx.t(`rights.exemption.${e.basis}` as MessageKey)}</p>
              {e.covers.length > 0 ? (
                <p class="muted">
                  {ctx.t('rights.covers')}: {e.covers.map((c) => c[ctx.locale]).join(' · ')}
                </p>
              ) : null}
            </dd>
          </>
        ))}
      </dl>
    </section>
  );
}

export function MyRequestsPage(props: {
  ctx: PageContext;
  requests: RequestView[];
  exemptions: Exemption[];
  deadlines: { working: number; calendar: number };
  form?: RequestForm | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const f = props.form ?? { kind: '', categories: [], details: '' };
  const chosen = new Set(f.categories);
  return (
    <Layout ctx={ctx} title={t('rights.title')} area="portal">
      <MyDataNav ctx={ctx} current="requests" />
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <h1>{t('rights.title')}</h1>
      <p>{t('rights.intro')}</p>
      <p class="muted">{t('rights.selfService')}</p>
      <h2>{t('rights.list')}</h2>
      {props.requests.length === 0 ? (
        <p>{t('rights.none')}</p>
      ) : (
        <table class="requests">
          <thead>
            <tr>
              <th scope="col">{t('rights.col.kind')}</th>
              <th scope="col">{t('rights.col.submitted')}</th>
              <th scope="col">{t('rights.col.state')}</th>
              <th scope="col">{t('rights.col.due')}</th>
            </tr>
          </thead>
          <tbody>
            {props.requests.map((r) => (
              <tr>
                <td>
                  <a href={`/me/requests/${r.id}`}>{kindText(ctx, r.kind)}</a>
                </td>
                <td>{day(ctx, r.submittedAt)}</td>
                <td>{stateText(ctx, r.state)}</td>
                <td>{r.closedAt ? '—' : lastDay(ctx, r.dueDay)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="new-request">{t('rights.new')}</h2>
      <p class="muted">
        {t('rights.deadlines')
          .replace('{working}', String(props.deadlines.working))
          .replace('{calendar}', String(props.deadlines.calendar))}
      </p>
      <p class="muted">{t('rights.confirmNote')}</p>
      <form method="post" action="/me/requests" class="stack" novalidate>
        <label for="request-kind">{t('rights.kindLabel')}</label>
        <FieldMessage id="request-kind" errors={props.errors} />
        <select id="request-kind" name="kind" required {...fieldAria('request-kind', props.errors)}>
          {requestKinds.map((k) => (
            <option value={k} selected={f.kind === k}>
              {kindText(ctx, k)}
            </option>
          ))}
        </select>
        <fieldset id="request-categories">
          <legend>{t('rights.categories')}</legend>
          <FieldMessage id="request-categories" errors={props.errors} />
          {(Object.keys(categorySpecs) as Category[]).map((c) => (
            <label class="choice">
              <input type="checkbox" name="categories" value={c} checked={chosen.has(c)} />{' '}
              {categorySpecs[c].label[ctx.locale]}
            </label>
          ))}
        </fieldset>
        <label for="request-details">{t('rights.details')}</label>
        <p class="hint" id="request-details-hint">
          {t('rights.detailsHint')}
        </p>
        <FieldMessage id="request-details" errors={props.errors} />
        <textarea
          id="request-details"
          name="details"
          rows={5}
          maxlength={4000}
          {...fieldAria('request-details', props.errors, 'request-details-hint')}
        >
          {f.details}
        </textarea>
        <button type="submit">{t('rights.submit')}</button>
      </form>
      <ExemptionList ctx={ctx} exemptions={props.exemptions} />
      <RightsContact ctx={ctx} />
    </Layout>
  );
}

function Deadline(props: { ctx: PageContext; r: RequestView }) {
  const { ctx, r } = props;
  const { t } = ctx;
  if (r.closedAt) return <>{lastDay(ctx, r.dueDay)}</>;
  return (
    <>
      {lastDay(ctx, r.dueDay)}{' '}
      {r.overdue ? (
        <strong>{t('rights.detail.overdue')}</strong>
      ) : r.workingDaysLeft === 0 ? (
        t('rights.detail.dueToday')
      ) : (
        `(${t('rights.detail.dueLeft').replace('{n}', String(r.workingDaysLeft))})`
      )}
      {r.deadlineProvisional ? <span class="muted"> {t('rights.detail.provisional')}</span> : null}
    </>
  );
}

export function RequestPage(props: {
  ctx: PageContext;
  request: RequestView;
  events: EventRow[];
  exemptions: Exemption[];
  made?: boolean;
  answer?: string | undefined;
  errors?: FieldError[] | undefined;
}) {
  const { ctx, request: r } = props;
  const { t } = ctx;
  const question =
    r.state === 'awaiting-person'
      ? [...props.events].reverse().find((e) => e.event === 'awaiting-person')
      : undefined;
  const exemption = r.exemption ? props.exemptions.find((e) => e.basis === r.exemption) : undefined;
  const open = !r.closedAt;
  return (
    <Layout ctx={ctx} title={`${t('rights.detail.title')}: ${kindText(ctx, r.kind)}`} area="portal">
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p>
        <a href="/me/requests">{t('rights.detail.back')}</a>
      </p>
      <h1>{kindText(ctx, r.kind)}</h1>
      {props.made ? (
        <p class="notice" role="status">
          {t('rights.detail.made')}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t('rights.detail.state')}</dt>
        <dd id="request-state">{stateText(ctx, r.state)}</dd>
        <dt>{t('rights.detail.submitted')}</dt>
        <dd>{minute(ctx, r.submittedAt)}</dd>
        <dt>{t('rights.detail.due')}</dt>
        <dd id="request-due">
          <Deadline ctx={ctx} r={r} />
        </dd>
        <dt>{t('rights.detail.identity')}</dt>
        <dd>
          {r.identityMethod
            ? t(`rights.detail.identityBy.${r.identityMethod}` as MessageKey)
            : t('rights.detail.identityNot')}
        </dd>
        <dt>{t('rights.detail.categories')}</dt>
        <dd>
          {r.categories.length === 0
            ? t('rights.detail.allData')
            : r.categories.map((c) => categorySpecs[c as Category]?.label[ctx.locale] ?? c).join(' · ')}
        </dd>
        {r.details ? (
          <>
            <dt>{t('rights.detail.details')}</dt>
            <dd class="pre">{r.details}</dd>
          </>
        ) : null}
      </dl>
      {r.decidedAt ? (
        <section aria-labelledby="decision-title" id="decision">
          <h2 id="decision-title">{t('rights.detail.decision')}</h2>
          <p class="pre">{r.decisionNote}</p>
          {r.refusalReason ? (
            <dl class="facts">
              <dt>{t('rights.detail.reason')}</dt>
              <dd>{t(`rights.reason.${r.refusalReason}` as MessageKey)}</dd>
              {exemption ? (
                <>
                  <dt>{t('rights.detail.exemption')}</dt>
                  <dd>
                    {exemption.label[ctx.locale]}: {t(`rights.exemption.${exemption.basis}` as MessageKey)}
                  </dd>
                </>
              ) : null}
            </dl>
          ) : null}
          {r.state !== 'fulfilled' ? <p>{t('rights.detail.complain')}</p> : null}
        </section>
      ) : null}
      {r.state === 'submitted' ? (
        <form method="post" action={`/me/requests/${r.id}/confirm`} class="stack">
          <p>{t('rights.detail.confirmWhy')}</p>
          <button type="submit">{t('rights.detail.confirm')}</button>
        </form>
      ) : null}
      {question ? (
        <form method="post" action={`/me/requests/${r.id}/answer`} class="stack" novalidate>
          <h2>{t('rights.detail.question')}</h2>
          <p class="pre" id="request-question">
            {question.note}
          </p>
          <label for="request-answer">{t('rights.detail.answer')}</label>
          <FieldMessage id="request-answer" errors={props.errors} />
          <textarea
            id="request-answer"
            name="answer"
            rows={4}
            maxlength={4000}
            required
            {...fieldAria('request-answer', props.errors)}
          >
            {props.answer ?? ''}
          </textarea>
          <button type="submit">{t('rights.detail.sendAnswer')}</button>
        </form>
      ) : null}
      <h2>{t('rights.detail.history')}</h2>
      <ol class="history">
        {props.events.map((e) => (
          <li>
            {minute(ctx, e.at)}: {t(`rights.event.${e.event}` as MessageKey)} ({t(`rights.by.${e.actorType}`)}
            ){e.note && e.event !== 'received' ? <p class="pre">{e.note}</p> : null}
          </li>
        ))}
      </ol>
      {open ? (
        <form method="post" action={`/me/requests/${r.id}/withdraw`}>
          <button type="submit" class="secondary">
            {t('rights.detail.withdraw')}
          </button>
        </form>
      ) : null}
      <RightsContact ctx={ctx} />
    </Layout>
  );
}

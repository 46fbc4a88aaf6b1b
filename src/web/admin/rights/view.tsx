/**
 * The DPO's desk for rights requests (P8.2–P8.4): the queue by due date, overdue first,
 * and one request with the identity check, the data concerned, its history and the
 * decision form. What the service refused is shown beside the form, with what was typed.
 */
import type { EventRow, Exemption, RequestView } from '../../../modules/rights/index.ts';
import { refusalReasons } from '../../../modules/rights/index.ts';
import { categories as categorySpecs, type Category } from '../../../modules/inventory/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface DecisionForm {
  outcome: string;
  reason: string;
  exemption: string;
  note: string;
}

const kind = (ctx: PageContext, k: string) => ctx.t(`rights.kind.${k}` as MessageKey);
const state = (ctx: PageContext, s: string) => ctx.t(`rights.state.${s}` as MessageKey);

function Flags(props: { ctx: PageContext; r: RequestView }) {
  const { ctx, r } = props;
  return (
    <>
      {r.dueDay}
      {r.overdue ? (
        <strong class="flag overdue"> {ctx.t('admin.rights.overdue')}</strong>
      ) : r.remindedAt ? (
        <strong class="flag due-soon"> {ctx.t('admin.rights.dueSoon')}</strong>
      ) : null}
      {r.workingDaysLeft !== null && !r.overdue ? ` (${r.workingDaysLeft})` : null}
    </>
  );
}

function Rows(props: { ctx: PageContext; rows: RequestView[] }) {
  const { ctx } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  return (
    <table class="queue">
      <thead>
        <tr>
          <th scope="col">{t('admin.rights.col.request')}</th>
          <th scope="col">{t('admin.rights.col.person')}</th>
          <th scope="col">{t('rights.col.state')}</th>
          <th scope="col">{t('rights.col.submitted')}</th>
          <th scope="col">{t('admin.rights.col.flags')}</th>
          <th scope="col">{t('admin.rights.col.channel')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/rights/${r.id}`}>{kind(ctx, r.kind)}</a>
            </td>
            <td>
              <code>{r.subjectId}</code>
            </td>
            <td>{state(ctx, r.state)}</td>
            <td>{at(r.submittedAt)}</td>
            <td>
              <Flags ctx={ctx} r={r} />
            </td>
            <td>{t(`admin.rights.channel.${r.channel}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RightsQueuePage(props: { ctx: PageContext; open: RequestView[]; closed: RequestView[] }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.rights.title')} area="admin">
      <h1>{t('admin.rights.title')}</h1>
      <p>{t('admin.rights.note')}</p>
      <h2>{t('admin.rights.open')}</h2>
      {props.open.length === 0 ? <p>{t('console.none')}</p> : <Rows ctx={ctx} rows={props.open} />}
      <h2>{t('admin.rights.closed')}</h2>
      {props.closed.length === 0 ? <p>{t('console.none')}</p> : <Rows ctx={ctx} rows={props.closed} />}
      <p>
        <a href="/admin">{t('console.back')}</a>
      </p>
    </Layout>
  );
}

export function RightsCasePage(props: {
  ctx: PageContext;
  request: RequestView;
  events: EventRow[];
  exemptions: Exemption[];
  refusal?: RefusalView | undefined;
  form?: Partial<DecisionForm & { question: string; method: string; reference: string }>;
  done?: boolean;
}) {
  const { ctx, request: r } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  const f = props.form ?? {};
  return (
    <Layout ctx={ctx} title={`${t('admin.rights.title')}: ${kind(ctx, r.kind)}`} area="admin">
      <p>
        <a href="/admin/rights">{t('admin.rights.title')}</a>
      </p>
      <h1>{kind(ctx, r.kind)}</h1>
      {props.done ? (
        <p class="notice" role="status">
          {t('admin.rights.done')}
        </p>
      ) : null}
      <Refusal ctx={ctx} refusal={props.refusal} />
      <dl class="facts">
        <dt>{t('admin.rights.col.person')}</dt>
        <dd>
          <code>{r.subjectId}</code>
        </dd>
        <dt>{t('rights.detail.state')}</dt>
        <dd id="case-state">{state(ctx, r.state)}</dd>
        <dt>{t('rights.detail.submitted')}</dt>
        <dd>{at(r.submittedAt)}</dd>
        <dt>{t('rights.detail.due')}</dt>
        <dd>
          <Flags ctx={ctx} r={r} />
          {r.deadlineProvisional ? <span class="muted"> {t('rights.detail.provisional')}</span> : null}
        </dd>
        <dt>{t('admin.rights.col.channel')}</dt>
        <dd>
          {t(`admin.rights.channel.${r.channel}`)}
          {r.ticketRef ? (
            <>
              {' '}
              <code>{r.ticketRef}</code>
            </>
          ) : null}
        </dd>
        <dt>{t('admin.rights.identity')}</dt>
        <dd id="case-identity">
          {r.identityMethod
            ? `${t(`rights.detail.identityBy.${r.identityMethod}` as MessageKey)} (${at(r.identityConfirmedAt!)})`
            : t('rights.detail.identityNot')}
        </dd>
        <dt>{t('rights.detail.categories')}</dt>
        <dd>
          {r.categories.length === 0
            ? t('rights.detail.allData')
            : r.categories.map((c) => categorySpecs[c as Category]?.label[ctx.locale] ?? c).join(' · ')}
        </dd>
        <dt>{t('rights.detail.details')}</dt>
        <dd class="pre">{r.details ?? '—'}</dd>
        {r.decidedAt ? (
          <>
            <dt>{t('rights.detail.decision')}</dt>
            <dd class="pre">{r.decisionNote}</dd>
            {r.refusalReason ? (
              <>
                <dt>{t('rights.detail.reason')}</dt>
                <dd>
                  {t(`rights.reason.${r.refusalReason}` as MessageKey)}
                  {r.exemption ? (
                    <>
                      {' '}
                      <code>{r.exemption}</code>
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      <h2>{t('rights.detail.history')}</h2>
      <ol class="history">
        {props.events.map((e) => (
          <li>
            {at(e.at)}: {t(`rights.event.${e.event}` as MessageKey)} ({t(`rights.by.${e.actorType}`)})
            {e.note ? <p class="pre">{e.note}</p> : null}
          </li>
        ))}
      </ol>
      {r.state === 'submitted' ? (
        <form method="post" action={`/admin/rights/${r.id}/confirm`} class="stack">
          <h2>{t('admin.rights.confirm')}</h2>
          <label for="method">{t('admin.rights.method')}</label>
          <select id="method" name="method">
            {(['service-hall', 'registry'] as const).map((m) => (
              <option value={m} selected={f.method === m}>
                {t(`admin.rights.method.${m}`)}
              </option>
            ))}
          </select>
          <label for="reference">{t('admin.rights.reference')}</label>
          <input id="reference" name="reference" maxlength={200} value={f.reference ?? ''} />
          <button type="submit">{t('admin.rights.confirm')}</button>
        </form>
      ) : null}
      {r.state === 'identity-confirmed' ? (
        <form method="post" action={`/admin/rights/${r.id}/start`}>
          <button type="submit">{t('admin.rights.start')}</button>
        </form>
      ) : null}
      {r.state === 'in-progress' ? (
        <form method="post" action={`/admin/rights/${r.id}/ask`} class="stack">
          <h2>{t('admin.rights.ask')}</h2>
          <label for="question">{t('admin.rights.question')}</label>
          <textarea id="question" name="question" rows={3} maxlength={4000}>
            {f.question ?? ''}
          </textarea>
          <button type="submit">{t('admin.rights.ask')}</button>
        </form>
      ) : null}
      {!r.closedAt ? (
        // Offered in every open state: deciding an unconfirmed request shows why it cannot be.
        <form method="post" action={`/admin/rights/${r.id}/decide`} class="stack">
          <h2>{t('admin.rights.decide')}</h2>
          <fieldset>
            <legend>{t('admin.rights.outcome')}</legend>
            {(['fulfilled', 'partly-fulfilled', 'refused'] as const).map((o) => (
              <label class="choice">
                <input type="radio" name="outcome" value={o} checked={(f.outcome || 'fulfilled') === o} />{' '}
                {t(`admin.rights.outcome.${o}`)}
              </label>
            ))}
          </fieldset>
          <label for="reason">{t('admin.rights.reason')}</label>
          <select id="reason" name="reason">
            <option value="">{t('admin.rights.noReason')}</option>
            {refusalReasons.map((x) => (
              <option value={x} selected={f.reason === x}>
                {t(`rights.reason.${x}`)}
              </option>
            ))}
          </select>
          <label for="exemption">{t('admin.rights.exemption')}</label>
          <select id="exemption" name="exemption">
            <option value="">{t('admin.rights.noReason')}</option>
            {props.exemptions.map((e) => (
              <option value={e.basis} selected={f.exemption === e.basis}>
                {e.label[ctx.locale]}
              </option>
            ))}
          </select>
          <label for="note">{t('admin.rights.note.field')}</label>
          <textarea id="note" name="note" rows={4} maxlength={4000}>
            {f.note ?? ''}
          </textarea>
          <button type="submit">{t('admin.rights.decide')}</button>
        </form>
      ) : null}
    </Layout>
  );
}

import {
  incidentLifecycle,
  mayRunIncidents,
  severities,
  type Incident,
  type IncidentClock,
  type TimelineEntry,
} from '../../../modules/incident/index.ts';
import { categories as categorySpecs, type Category } from '../../../modules/inventory/index.ts';
import type { NoticeProgress } from '../../../modules/notify/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ProgressList } from '../deliveries/view.tsx';
import { CategoryChoice } from '../incidents/view.tsx';
import { ClockText, DrillBanner, classLabel } from '../incidents/parts.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface ScopeForm {
  from: string;
  to: string;
  categories: string[];
  actors: string;
  accounts: string;
}

export interface RecordForm {
  summary: string;
  cause: string;
  harm: string;
  measures: string;
  advice: string;
  contact: string;
}

export type Done =
  'opened' | 'updated' | 'advanced' | 'reopened' | 'confirmed' | 'counted' | 'frozen' | 'sent' | 'submitted';

export interface IncidentView {
  incident: Incident;
  timeline: TimelineEntry[];
  clock: IncidentClock;
  progress: NoticeProgress | undefined;
  staffRole: string;
  refusal?: RefusalView;
  done?: Done;
  /** The count of a scope not yet frozen ("count" before "freeze"). */
  counted?: number;
  /** How many a send queued (a drill: how many it would have). */
  queued?: number;
  scope?: ScopeForm;
  record?: RecordForm;
  reopenNote?: string;
}

const doneText: Record<Exclude<Done, 'counted' | 'frozen' | 'sent'>, MessageKey> = {
  opened: 'admin.incidents.opened',
  updated: 'admin.incident.updated',
  advanced: 'admin.incident.advanced',
  reopened: 'admin.incident.reopened',
  confirmed: 'admin.incident.confirmed',
  submitted: 'admin.report.submitted',
};

/** The steps the lifecycle table offers from here that are said, not done (report and tell are done). */
const sayable = ['assess', 'contain', 'close'] as const;
const stepTo = { assess: 'assessed', contain: 'contained', close: 'closed' } as const;

/** A timeline note the platform wrote in code (field names, a drill count) as the reader's words. */
function noteText(ctx: PageContext, e: TimelineEntry): string {
  const note = e.note ?? '';
  if (e.kind === 'updated')
    return note
      .split(/,\s*/)
      .filter(Boolean)
      .map((f) =>
        ['summary', 'cause', 'harm', 'measures', 'advice', 'contact', 'systems', 'categories'].includes(f)
          ? ctx.t(`admin.incidents.field.${f as 'cause'}`)
          : f,
      )
      .join(', ');
  if (note === 'drill') return ctx.t('console.drill');
  if (e.kind === 'sent' && note.startsWith('drill:'))
    return `${ctx.t('console.drill')}: ${note.slice(6).trim()}`;
  if (e.kind === 'severity' && (severities as readonly string[]).includes(note))
    return ctx.t(`admin.incidents.class.${note as 'I'}`);
  if ((e.kind === 'reminded' || e.kind === 'escalated') && !Number.isNaN(Date.parse(note)))
    return timeIn(ctx.locale)(new Date(note));
  return note;
}

function Timeline(props: { ctx: PageContext; timeline: TimelineEntry[] }) {
  const { t, locale } = props.ctx;
  const time = timeIn(locale);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('admin.incident.timeline')}</h2>
      <table id="timeline">
        <thead>
          <tr>
            <th scope="col">{t('admin.incident.col.at')}</th>
            <th scope="col">{t('admin.incident.col.step')}</th>
            <th scope="col">{t('admin.incidents.col.state')}</th>
            <th scope="col">{t('admin.incident.col.author')}</th>
            <th scope="col">{t('admin.incident.col.note')}</th>
          </tr>
        </thead>
        <tbody>
          {props.timeline.map((e) => (
            <tr data-kind={e.kind}>
              <td>{time(e.at)}</td>
              <td>{t(`admin.incident.kind.${e.kind}`)}</td>
              <td>{e.state ? t(`admin.incidents.state.${e.state}`) : ''}</td>
              <td>{e.author ? e.author.name : t('admin.incident.platform')}</td>
              <td>{noteText(props.ctx, e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RecordSection(props: { ctx: PageContext; view: IncidentView; may: boolean }) {
  const { t, locale } = props.ctx;
  const i = props.view.incident;
  const f = props.view.record;
  const facts = (
    <dl class="facts" id="record">
      <dt>{t('admin.incidents.field.summary')}</dt>
      <dd>{i.summary}</dd>
      <dt>{t('admin.incidents.col.detected')}</dt>
      <dd>{timeIn(locale)(i.detectedAt)}</dd>
      <dt>{t('admin.incidents.field.operatorType')}</dt>
      <dd>{t(`admin.incidents.operator.${i.operatorType}`)}</dd>
      <dt>{t('admin.incidents.field.systems')}</dt>
      <dd>{i.systems.join(', ')}</dd>
      <dt>{t('admin.incidents.field.categories')}</dt>
      <dd>{i.categories.map((c) => categorySpecs[c as Category]?.label[locale] ?? c).join(', ')}</dd>
    </dl>
  );
  const field = (k: keyof RecordForm, rows = 2) => (
    <>
      <label for={`record-${k}`}>{t(`admin.incidents.field.${k}`)}</label>
      <textarea id={`record-${k}`} name={k} rows={rows} readonly={!props.may}>
        {f ? f[k] : (i[k] ?? '')}
      </textarea>
    </>
  );
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">{t('admin.incident.record')}</h2>
      {facts}
      <form method="post" action={`/admin/incidents/${i.id}/update`} class="stack">
        {field('summary', 4)}
        {field('cause')}
        {field('harm')}
        {field('measures')}
        {field('advice')}
        {field('contact')}
        {props.may ? <button type="submit">{t('admin.incident.save')}</button> : null}
      </form>
    </section>
  );
}

function StepsSection(props: { ctx: PageContext; view: IncidentView }) {
  const { t } = props.ctx;
  const i = props.view.incident;
  const steps = sayable.filter((e) => incidentLifecycle.allows(i.state, e));
  return (
    <section aria-labelledby="steps-title">
      <h2 id="steps-title">{t('admin.incident.steps')}</h2>
      {steps.map((e) => (
        <form method="post" action={`/admin/incidents/${i.id}/advance`} class="stack">
          <input type="hidden" name="to" value={stepTo[e]} />
          <label for={`note-${e}`}>{t('admin.incident.note')}</label>
          <input id={`note-${e}`} name="note" maxlength={2000} />
          <button type="submit">{t(`admin.incident.to.${stepTo[e]}`)}</button>
        </form>
      ))}
      {incidentLifecycle.allows(i.state, 'reopen') ? (
        <form method="post" action={`/admin/incidents/${i.id}/reopen`} class="stack">
          <label for="reopen-note">{t('admin.incident.reopenReason')}</label>
          <input id="reopen-note" name="note" required maxlength={2000} value={props.view.reopenNote ?? ''} />
          <button type="submit">{t('admin.incident.reopen')}</button>
        </form>
      ) : null}
    </section>
  );
}

function SeveritySection(props: { ctx: PageContext; view: IncidentView; may: boolean }) {
  const { t } = props.ctx;
  const i = props.view.incident;
  const chosen = i.severity ?? i.suggestedSeverity;
  return (
    <section aria-labelledby="severity-title">
      <h2 id="severity-title">{t('admin.incident.severity')}</h2>
      <dl class="facts">
        <dt>{t('admin.incidents.col.severity')}</dt>
        <dd id="severity">{classLabel(props.ctx, i.severity)}</dd>
        <dt>{t('admin.incident.suggested')}</dt>
        <dd id="suggested">
          {i.suggestedSeverity
            ? classLabel(props.ctx, i.suggestedSeverity)
            : i.scope !== null
              ? t('admin.incident.belowClasses')
              : t('admin.incident.noSuggestion')}
        </dd>
      </dl>
      {props.may && i.state !== 'closed' ? (
        <form method="post" action={`/admin/incidents/${i.id}/severity`} class="stack">
          <label for="severity-choice">{t('admin.incident.severity')}</label>
          <select id="severity-choice" name="severity">
            {severities.map((s) => (
              <option value={s} selected={chosen === s}>
                {classLabel(props.ctx, s)}
              </option>
            ))}
          </select>
          <button type="submit">{t('admin.incident.confirm')}</button>
        </form>
      ) : null}
    </section>
  );
}

function ScopeSection(props: { ctx: PageContext; view: IncidentView; may: boolean }) {
  const { t, locale } = props.ctx;
  const { incident: i, scope: f, counted } = props.view;
  const count = new Intl.NumberFormat(locale);
  if (i.scope !== null)
    return (
      <section aria-labelledby="scope-title">
        <h2 id="scope-title">{t('admin.incident.scope')}</h2>
        <p id="frozen">
          {t('admin.incident.frozen')} <strong>{count.format(i.affectedCount ?? 0)}</strong>
        </p>
      </section>
    );
  return (
    <section aria-labelledby="scope-title">
      <h2 id="scope-title">{t('admin.incident.scope')}</h2>
      <p class="muted">{t('admin.incident.scopeNote')}</p>
      {counted !== undefined ? (
        <p role="status" id="counted">
          {t('admin.incident.counted')} <strong>{count.format(counted)}</strong>
        </p>
      ) : null}
      {props.may ? (
        <form method="post" action={`/admin/incidents/${i.id}/count`} class="stack">
          <label for="scope-from">{t('admin.incident.from')}</label>
          <input id="scope-from" name="from" type="datetime-local" required value={f?.from ?? ''} />
          <label for="scope-to">{t('admin.incident.to')}</label>
          <input id="scope-to" name="to" type="datetime-local" required value={f?.to ?? ''} />
          <fieldset>
            <legend>{t('admin.incidents.field.categories')}</legend>
            <CategoryChoice ctx={props.ctx} name="categories" chosen={f?.categories ?? []} />
          </fieldset>
          <label for="scope-actors">{t('admin.incident.actors')}</label>
          <textarea id="scope-actors" name="actors" rows={2}>
            {f?.actors ?? ''}
          </textarea>
          <label for="scope-accounts">{t('admin.incident.accounts')}</label>
          <textarea id="scope-accounts" name="accounts" rows={3}>
            {f?.accounts ?? ''}
          </textarea>
          <button type="submit">{t('admin.incident.count')}</button>
          {/* Offered once a count was shown for what is typed: the officer sees the number first. */}
          {counted !== undefined ? (
            <button type="submit" formaction={`/admin/incidents/${i.id}/freeze`}>
              {t('admin.incident.freeze')}
            </button>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

function NoticeSection(props: { ctx: PageContext; view: IncidentView; may: boolean }) {
  const { t, locale } = props.ctx;
  const { incident: i, progress, done, queued } = props.view;
  const count = new Intl.NumberFormat(locale);
  return (
    <section aria-labelledby="notice-title">
      <h2 id="notice-title">{t('admin.incident.notice')}</h2>
      {done === 'sent' && queued !== undefined ? (
        <p role="status" id="sent">
          {i.drill ? t('admin.incident.sentDrill') : t('admin.incident.sent')}{' '}
          <strong>{count.format(i.drill ? (i.affectedCount ?? queued) : queued)}</strong>
        </p>
      ) : null}
      {props.may && i.scope !== null && i.state !== 'closed' ? (
        <form method="post" action={`/admin/incidents/${i.id}/send`}>
          <button type="submit">{t('admin.incident.send')}</button>
        </form>
      ) : null}
      {progress ? (
        <div id="progress">
          <h3>{t('admin.incident.progress')}</h3>
          <p>
            {t('admin.deliveries.col.people')}: {count.format(progress.people)}
          </p>
          <ProgressList ctx={props.ctx} byChannel={progress.byChannel} />
        </div>
      ) : null}
    </section>
  );
}

export function IncidentPage(props: { ctx: PageContext; view: IncidentView }) {
  const { t } = props.ctx;
  const { view } = props;
  const i = view.incident;
  const may = mayRunIncidents(view.staffRole);
  const done = view.done && view.done in doneText ? doneText[view.done as keyof typeof doneText] : undefined;
  return (
    <Layout ctx={props.ctx} title={i.title} area="admin">
      <DrillBanner ctx={props.ctx} incident={i} />
      <h1>{i.title}</h1>
      <p>
        <a href="/admin/incidents">{t('admin.incidents.list')}</a> ·{' '}
        <a href={`/admin/incidents/${i.id}/report`}>{t('admin.incident.reportLink')}</a>
      </p>
      <dl class="facts">
        <dt>{t('admin.incidents.col.state')}</dt>
        <dd id="state" data-state={i.state}>
          {t(`admin.incidents.state.${i.state}`)}
        </dd>
        <dt>{t('admin.incidents.col.clock')}</dt>
        <dd id="clock">
          <ClockText ctx={props.ctx} incident={i} clock={view.clock} />
        </dd>
      </dl>
      {done ? (
        <p class="notice" role="status">
          {t(done)}
        </p>
      ) : null}
      <Refusal ctx={props.ctx} refusal={view.refusal} />
      {view.refusal?.detail ? (
        <p class="muted">
          <code>{view.refusal.detail}</code>
        </p>
      ) : null}
      {!may ? <p class="notice">{t('admin.incidents.readOnly')}</p> : null}
      {may ? <StepsSection ctx={props.ctx} view={view} /> : null}
      <ScopeSection ctx={props.ctx} view={view} may={may} />
      <SeveritySection ctx={props.ctx} view={view} may={may} />
      <NoticeSection ctx={props.ctx} view={view} may={may} />
      <RecordSection ctx={props.ctx} view={view} may={may} />
      <Timeline ctx={props.ctx} timeline={view.timeline} />
    </Layout>
  );
}

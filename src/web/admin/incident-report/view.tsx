import {
  mayRunIncidents,
  type Incident,
  type IncidentClock,
  type TimelineEntry,
} from '../../../modules/incident/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ClockText, DrillBanner } from '../incidents/parts.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface SubmissionForm {
  channel: string;
  reference: string;
}

export interface ReportView {
  incident: Incident;
  timeline: TimelineEntry[];
  clock: IncidentClock;
  report: { text: string; fields: Record<string, string> };
  staffRole: string;
  form?: SubmissionForm;
  refusal?: RefusalView;
  submitted?: boolean;
}

export function ReportPage(props: { ctx: PageContext; view: ReportView }) {
  const { t, locale } = props.ctx;
  const { incident: i, report, form } = props.view;
  const submissions = props.view.timeline.filter((e) => e.kind === 'reported');
  return (
    <Layout ctx={props.ctx} title={t('admin.report.title')} area="admin">
      <DrillBanner ctx={props.ctx} incident={i} />
      <h1>{t('admin.report.title')}</h1>
      <p>
        <a href={`/admin/incidents/${i.id}`}>{t('admin.incident.back')}</a>
      </p>
      <dl class="facts">
        <dt>{t('admin.incidents.col.title')}</dt>
        <dd>{i.title}</dd>
        <dt>{t('admin.incidents.col.clock')}</dt>
        <dd id="clock">
          <ClockText ctx={props.ctx} incident={i} clock={props.view.clock} />
        </dd>
      </dl>
      {props.view.submitted ? (
        <p class="notice" role="status">
          {t('admin.report.submitted')}
        </p>
      ) : null}
      <Refusal ctx={props.ctx} refusal={props.view.refusal} />
      <p class="muted">{t('admin.report.note')}</p>
      {/* The report is Chinese whatever the console's language: it goes to the authority as it is. */}
      <pre id="report" lang="zh-CN">
        {report.text}
      </pre>
      {submissions.length > 0 ? (
        <ul id="submissions">
          {submissions.map((e) => (
            <li>
              {t('admin.report.done')}: {timeIn(locale)(e.at)} ·{' '}
              {e.author?.name ?? t('admin.incident.platform')} · {e.note ?? ''}
            </li>
          ))}
        </ul>
      ) : null}
      {mayRunIncidents(props.view.staffRole) && !i.reportedAt ? (
        <form method="post" action={`/admin/incidents/${i.id}/report`} class="stack">
          <label for="channel">{t('admin.report.channel')}</label>
          <input id="channel" name="channel" required maxlength={100} value={form?.channel ?? ''} />
          <label for="reference">{t('admin.report.reference')}</label>
          <input id="reference" name="reference" maxlength={200} value={form?.reference ?? ''} />
          <button type="submit">{t('admin.report.submit')}</button>
        </form>
      ) : null}
    </Layout>
  );
}

/**
 * What every incident page shows alike: the drill banner (a drill says so on every one of its
 * pages, so nobody mistakes an exercise for a real notice), the report clock as time left or
 * overdue, and the state and class names. Form times are Beijing time (the reports' time).
 */
import type { Incident, IncidentClock, Severity } from '../../../modules/incident/index.ts';
import type { PageContext } from '../../layout.tsx';

export function DrillBanner(props: { ctx: PageContext; incident: Incident }) {
  if (!props.incident.drill) return null;
  return (
    <p class="notice drill" role="note" id="drill-banner">
      <strong>{props.ctx.t('console.drill')}</strong> {props.ctx.t('admin.incidents.drillBanner')}
    </p>
  );
}

export function ClockText(props: { ctx: PageContext; incident: Incident; clock: IncidentClock }) {
  const { t } = props.ctx;
  if (props.incident.reportedAt) return <span data-clock="reported">{t('admin.incidents.reportedAt')}</span>;
  const ms = Math.abs(props.clock.remainingMs);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const span = `${h} ${t('admin.incidents.hours')} ${m} ${t('admin.incidents.minutes')}`;
  return props.clock.overdue ? (
    <strong class="error" data-clock="overdue">
      {t('admin.incidents.overdue')} {span}
    </strong>
  ) : (
    <span data-clock="running">
      {t('admin.incidents.remaining')} {span}
    </span>
  );
}

export const classLabel = (ctx: PageContext, s: Severity | null) =>
  s ? ctx.t(`admin.incidents.class.${s}`) : ctx.t('admin.incidents.class.none');

/** `YYYY-MM-DDTHH:mm` typed in Beijing time, as an instant (undefined: not a time). */
export function beijingInput(v: string): Date | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(v)) return undefined;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An instant as a `datetime-local` value in Beijing time. */
export const beijingValue = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

/** Lines (or commas) of a textarea as a list. */
export const linesOf = (v: string) =>
  v
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The incident record's public shapes (P7.2i.record, P7.2i.report; ADR 0031). Kept apart
 * from the service so that the console pages and the JSON API can type against them without
 * pulling the service's dependencies.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { NoticeProgress } from '../notify/index.ts';
import type { Scope } from './incident.audience.ts';

export type IncidentState = 'detected' | 'assessed' | 'contained' | 'reported' | 'people_told' | 'closed';
/** The classes of the national network-security incident plan: 特别重大, 重大, 较大, 一般. */
export type Severity = 'I' | 'II' | 'III' | 'IV';
/** Whose clock runs: critical information infrastructure, a state organ, any other operator. */
export type OperatorType = 'cii' | 'state_organ' | 'other';

export const severities: readonly Severity[] = ['I', 'II', 'III', 'IV'];
export const operatorTypes: readonly OperatorType[] = ['cii', 'state_organ', 'other'];

/**
 * Who runs a step: a staff member of the console (the route passes its principal), as the
 * transfer and sharing modules take them. The name shown on the timeline is looked up from
 * the staff module when read, so an erased staff name is erased here too.
 */
export interface StaffActor {
  id: string;
  role: string;
}

export interface Incident {
  id: string;
  title: string;
  summary: string;
  detectedAt: Date;
  openedAt: Date;
  systems: string[];
  categories: string[];
  cause: string | null;
  harm: string | null;
  measures: string | null;
  advice: string | null;
  contact: string | null;
  operatorType: OperatorType;
  state: IncidentState;
  severity: Severity | null;
  suggestedSeverity: Severity | null;
  affectedCount: number | null;
  scope: Scope | null;
  drill: boolean;
  reportDueAt: Date;
  reportedAt: Date | null;
  noticeKey: string | null;
}

export type TimelineKind =
  | 'opened'
  | 'state'
  | 'severity'
  | 'updated'
  | 'scoped'
  | 'reported'
  | 'sent'
  | 'reminded'
  | 'escalated'
  | 'reopened';

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  /** The state after the step (null when the step did not move it). */
  state: IncidentState | null;
  /** null: the platform (the clock job). */
  author: { id: string; name: string } | null;
  note: string | null;
}

export interface OpenInput {
  title: string;
  summary: string;
  detectedAt: Date;
  systems: string[];
  categories: string[];
  cause?: string | null;
  operatorType: OperatorType;
  drill: boolean;
}

export type UpdatableFields = Partial<
  Pick<Incident, 'cause' | 'harm' | 'measures' | 'advice' | 'contact' | 'summary' | 'systems' | 'categories'>
>;

export interface ReportSubmission {
  /** How it went to the cyberspace authority (e.g. the reporting platform, phone, letter). */
  channel: string;
  /** The authority's receipt number, when it gave one. */
  reference: string | null;
}

export interface IncidentClock {
  dueAt: Date;
  remainingMs: number;
  overdue: boolean;
}

/**
 * The home-page announcement of an incident (the announcements module, wired when merged):
 * called inside send(), in its transaction.
 */
export interface AnnouncePort {
  publish(
    q: Queryable,
    input: {
      key: string;
      kind: 'incident';
      template: 'incident-notice';
      params: Record<string, unknown>;
      expiresAt: Date;
      drill: boolean;
      by: StaffActor;
    },
  ): Promise<{ id: string }>;
}

export interface IncidentService {
  open(actor: StaffActor, input: OpenInput): Promise<Incident>;
  list(filter?: { open?: boolean }): Promise<Incident[]>;
  get(id: string): Promise<{ incident: Incident; timeline: TimelineEntry[] } | null>;
  /** One step of the lifecycle table; an illegal step is refused (409, incident.transition_refused). */
  advance(actor: StaffActor, id: string, to: IncidentState, note?: string | null): Promise<Incident>;
  /** closed → assessed, with the reason (ADR 0031). */
  reopen(actor: StaffActor, id: string, note: string): Promise<Incident>;
  update(actor: StaffActor, id: string, fields: UpdatableFields): Promise<Incident>;
  confirmSeverity(actor: StaffActor, id: string, severity: Severity): Promise<Incident>;
  /** How many people the scope affects: a count only, nothing written. */
  previewAudience(actor: StaffActor, id: string, scope: Scope): Promise<number>;
  /** Freezes the scope's people once; sets affectedCount and suggestedSeverity. */
  freezeAudience(actor: StaffActor, id: string, scope: Scope): Promise<number>;
  clock(incident: Incident, now?: Date): IncidentClock;
  /** The report to the cyberspace authority, in Chinese, generated from the record. */
  report(id: string): Promise<{ text: string; fields: Record<string, string> }>;
  /** Records the report's submission (channel, reference, who, when): state → reported. */
  submitReport(actor: StaffActor, id: string, input: ReportSubmission): Promise<Incident>;
  /** Tells the frozen audience (fanOut 'incident-notice', key `incident:<id>`) once; a drill writes nothing. */
  send(actor: StaffActor, id: string): Promise<{ noticeKey: string; queued: number }>;
  progress(id: string): Promise<NoticeProgress | undefined>;
  /** The clock job's pass: reminders at half time, escalations when overdue (each once). */
  runClock(now?: Date): Promise<{ reminded: number; escalated: number }>;
}

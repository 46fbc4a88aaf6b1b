export { createIncidentAudience, type Scope, type IncidentAudience } from './incident.audience.ts';
export { incidentAudienceErrors } from './incident.audience.errors.ts';
export { incidentData } from './incident.data.ts';
export {
  createIncidentService,
  mayRunIncidents,
  mayReadIncidents,
  type IncidentDeps,
} from './incident.service.ts';
export {
  severities,
  operatorTypes,
  type IncidentState,
  type Severity,
  type OperatorType,
  type StaffActor,
  type Incident,
  type TimelineEntry,
  type TimelineKind,
  type OpenInput,
  type UpdatableFields,
  type ReportSubmission,
  type IncidentClock,
  type AnnouncePort,
  type IncidentService,
} from './incident.types.ts';
export { incidentLifecycle, type IncidentEvent } from './incident.lifecycle.ts';
export { incidentErrors } from './incident.errors.ts';
export { suggestSeverity, type SeverityThresholds, type ReportHours } from './incident.severity.ts';
export { severityText, UNKNOWN as REPORT_UNKNOWN } from './incident.report.ts';
export { createClockAlerts, composeClockAlert, alertRoles, type ClockAlert } from './incident.alerts.ts';

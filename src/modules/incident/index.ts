export { createIncidentAudience, type Scope, type IncidentAudience } from './incident.audience.ts';
export { incidentAudienceErrors } from './incident.audience.errors.ts';
export { incidentData } from './incident.data.ts';

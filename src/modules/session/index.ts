export {
  createCitizenSessions,
  SESSION_HOURS,
  IDLE_MINUTES,
  type CitizenSessions,
  type SessionView,
  type PortalSession,
  type SessionsEnded,
} from './sessions.ts';
export {
  deviceLabel,
  deviceHash,
  deviceKind,
  checkName,
  DEVICE_NAME_MAX,
  type DeviceKind,
  type NameProblem,
} from './device.ts';
export { noProviderSessions, type ProviderSessions, type ProviderSessionEnd } from './provider-sessions.ts';
export { sessionData } from './session.data.ts';
export { rememberDevice, liveCount, deviceHistoryRow, type DeviceHistory } from './session.repository.ts';

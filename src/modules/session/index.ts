export {
  createCitizenSessions,
  citizenAuth,
  citizenCookieName,
  SESSION_HOURS,
  IDLE_MINUTES,
  type CitizenSessions,
  type SessionView,
  type PortalSession,
} from './sessions.ts';
export { deviceLabel } from './device.ts';
export { deviceIdOf, deviceHash, deviceCookieName } from './device-cookie.ts';
export { noProviderSessions, type ProviderSessions, type ProviderSessionEnd } from './provider-sessions.ts';
export { sessionData } from './session.data.ts';
export {
  rememberDevice,
  revokeAll,
  liveCount,
  deviceHistoryRow,
  type DeviceHistory,
} from './session.repository.ts';

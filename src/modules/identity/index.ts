export { createCitizenSessions, citizenAuth, citizenCookieName, type CitizenSessions } from './sessions.ts';

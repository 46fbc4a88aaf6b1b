export { loadConfig, ConfigError, publicUrlOf } from './load.ts';
export type { Config } from './schema.ts';
export { settings } from './schema.ts';

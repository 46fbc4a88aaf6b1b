// `node --import tsx --import ./test/support/record-loads.mjs …`: records the URL of every
// module the ESM loader resolves and loads, one per line, in CIVITAS_LOAD_RECORD (used by
// test/production-start.test.ts). Registered after tsx, so its hooks run first and see
// every module, TypeScript or not, before tsx transforms it.
import { register } from 'node:module';

register('./record-loads.hooks.mjs', import.meta.url, { data: { file: process.env.CIVITAS_LOAD_RECORD } });

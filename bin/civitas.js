#!/usr/bin/env node
// Runs the TypeScript sources through tsx (a runtime dependency, so `npm ci && npm start`
// needs no build step). A deployment that ships only `dist/` (see docs/operations.md)
// runs the compiled code; a checkout never does, so a stale build cannot shadow edits.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(new URL('../dist/cli.js', import.meta.url).href);
}

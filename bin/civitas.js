#!/usr/bin/env node
// Runs the compiled CLI when `npm run build` produced one, else the TypeScript sources
// through tsx (a runtime dependency, so `npm ci && npm start` needs no build step).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}

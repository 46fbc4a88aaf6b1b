// Loader hooks for record-loads.mjs (they run on the loader thread).
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (file) appendFileSync(file, `resolve ${resolved.url}\n`);
  return resolved;
}
export async function load(url, context, next) {
  if (file) appendFileSync(file, `load ${url}\n`);
  return next(url, context);
}

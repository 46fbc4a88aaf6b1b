// Worker entry: Node 20 does not apply the parent's TypeScript loader to worker threads,
// so register tsx here when running from sources; a build runs the compiled worker.
import { existsSync } from 'node:fs';

const source = new URL('./audit.verify.worker.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('./audit.verify.worker.js', import.meta.url).href);
}

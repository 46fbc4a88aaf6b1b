// `npm run build` compiles TypeScript only; migrations and static files travel beside it.
import { cpSync } from 'node:fs';

cpSync('src/kernel/db/migrations', 'dist/kernel/db/migrations', { recursive: true });
cpSync('src/web/static', 'dist/web/static', { recursive: true });
cpSync('src/shared/common-passwords.txt', 'dist/shared/common-passwords.txt');
cpSync('src/modules/audit/audit.verify.worker.boot.mjs', 'dist/modules/audit/audit.verify.worker.boot.mjs');

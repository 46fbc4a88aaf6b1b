/** `civitas serve`: start the platform and stop it cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config/index.ts';
import { startPlatform } from './platform.ts';

export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const platform = await startPlatform(config);
  const staffCount = await platform.staff.count();
  process.stdout.write(
    [
      '',
      `Civitas is ready in ${Date.now() - started} ms (${platform.storage.kind} PostgreSQL, ${config.mode} mode)`,
      `  Portal:        ${platform.url}/`,
      `  Staff console: ${platform.url}/admin`,
      platform.demoStaff
        ? '  Console sign-in (development, shown only this once; roles: docs/operations.md "Staff roles"):\n' +
          platform.demoStaff
            .map((a) => `    ${a.role.padEnd(13)} e-mail ${a.email}  password ${a.password}`)
            .join('\n')
        : staffCount === 0
          ? '  No staff account yet. Create the first administrator with:\n' +
            '    npx civitas staff create --email you@example.org --name "Your Name"\n' +
            '  (or set CIVITAS_ADMIN_EMAIL and CIVITAS_ADMIN_PASSWORD and restart).'
          : `  Sign in to the console with a staff account (${staffCount} exist).`,
      `  API:           ${platform.url}/api/openapi.json`,
      '',
    ].join('\n'),
  );

  const stop = (signal: string) => {
    platform.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    platform.close().then(
      () => process.exit(0),
      (err: unknown) => {
        platform.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

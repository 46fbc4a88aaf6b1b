/**
 * `civitas serve`: start the platform and stop it cleanly on SIGINT/SIGTERM/SIGHUP.
 *
 * Rules (issue 10 item 21):
 * - Every stop signal, first or repeated, ends in the graceful path (platform.close: final
 *   audit checkpoint, pool closed, embedded PostgreSQL stopped, each logged). Ctrl-C on
 *   `npm start` delivers SIGINT twice (from the terminal to the process group, and
 *   forwarded by npm): a repeat only shortens the close (open connections are dropped
 *   instead of awaited), it never skips stopping the database.
 * - If the close hangs, after 30 s the remaining steps still run without waiting for
 *   requests, and the process exits 1; the embedded server gets its stop signal on exit.
 * - The embedded PostgreSQL dying under us: close what is left and exit 1, so a supervisor
 *   restarts Civitas (and PostgreSQL runs crash recovery at that start).
 */
import { ConfigError, loadConfig } from './kernel/config/index.ts';
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
  // Handlers first: until a listener exists the OS default applies and a signal kills node
  // at once. A signal during start is kept and acted on once the platform can close.
  let onSignal = (signal: NodeJS.Signals): void => void (early ??= signal);
  let early: NodeJS.Signals | undefined;
  // `on`, not `once`: a second signal must reach us, not Node's default (exit at once).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  const started = performance.now();
  const platform = await startPlatform(config);
  const staffCount = await platform.staff.count();
  process.stdout.write(
    [
      '',
      `Civitas is ready in ${Math.round(performance.now() - started)} ms (${platform.storage.kind} PostgreSQL, ${config.mode} mode)`,
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

  let stopping = false;
  let exitCode = 0;
  const stop = (reason: string, code: number) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) {
      platform.logger.info({ reason }, 'shutting down faster: dropping open connections');
      platform.hurry();
      return;
    }
    stopping = true;
    platform.logger.info({ reason }, 'shutting down');
    const slow = setTimeout(() => {
      platform.logger.warn('shutdown is taking over 30 s: dropping open connections');
      exitCode = 1;
      platform.hurry();
    }, 30_000);
    slow.unref();
    platform.close().then(
      () => {
        platform.logger.info('Civitas stopped');
        process.exit(exitCode);
      },
      (err: unknown) => {
        platform.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  onSignal = (signal) => stop(signal, 0);
  if (early) stop(early, 0);
  platform.onDatabaseLost(() => stop('embedded PostgreSQL died', 1));
}

/**
 * Chromium driven by playwright-core. Never a browser downloaded at test time:
 * - Debian's `chromium` at /usr/bin/chromium (CI installs it, see .ci/run), or the binary
 *   CHROMIUM_PATH names;
 * - when that file is absent (a fresh machine after `npm ci` alone), the chromium shipped
 *   inside the npm package @sparticuz/chromium, unpacked into the temp directory.
 *
 * @sparticuz/chromium stays pinned to one exact version (package.json): it unpacks into the
 * temp directory and reuses whatever it finds there, so files of two versions would mix and
 * break the launch. It is therefore unpacked in a child process whose temp directory is a
 * fresh staging directory, which is then renamed to one named after the version: a
 * half-unpacked browser is never visible, and parallel test files never unpack into the
 * same place (the loser of a rename race uses the winner's copy).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);

/** The packaged chromium, unpacked once per version into the temp directory. */
export async function packagedChromium(): Promise<string> {
  // The package exports no ./package.json: find it beside the entry point's build/ folder.
  const root = require.resolve('@sparticuz/chromium').replace(/[/\\]build[/\\].*$/, '');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `civitas-chromium-${version}`);
  const executable = join(home, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = mkdtempSync(`${home}-`);
  try {
    await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', "await (await import('@sparticuz/chromium')).default.executablePath()"],
      { env: { ...process.env, TMPDIR: staging }, cwd: root },
    );
    renameSync(staging, home);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(executable)) throw err;
  }
  return executable;
}

let resolved: Promise<string> | undefined;

/** The chromium executable the browser tests use: Debian's (or CHROMIUM_PATH), else the packaged one. */
export function chromiumExecutable(): Promise<string> {
  resolved ??= (async () => {
    const wanted = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
    return existsSync(wanted) ? wanted : packagedChromium();
  })();
  return resolved;
}

export async function launchBrowser(executablePath?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: executablePath ?? (await chromiumExecutable()),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

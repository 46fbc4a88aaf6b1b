/**
 * Parses the configuration once, from a file (CIVITAS_CONFIG_FILE, JSON keyed by the
 * environment variable names) overlaid by the environment, and freezes it.
 * An invalid start lists every bad key, not just the first.
 */
import { readFileSync } from 'node:fs';
import { settings, type Config, type SettingMeta } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

function readFileSource(path: string): Source {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`CIVITAS_CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([`CIVITAS_CONFIG_FILE: ${path} must hold a JSON object`]);
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}

export function loadConfig(env: Source = process.env): Config {
  const file = env.CIVITAS_CONFIG_FILE ? readFileSource(env.CIVITAS_CONFIG_FILE) : {};
  const known = new Set<string>(Object.values(settings).map(([, meta]) => meta.env));
  const problems: string[] = Object.keys(file)
    .filter((k) => !known.has(k))
    .map((k) => `${k}: unknown key in CIVITAS_CONFIG_FILE`);

  const out: Record<string, unknown> = {};
  for (const [key, [schema, meta]] of Object.entries(settings)) {
    const rawValue = env[meta.env] ?? file[meta.env];
    const value = rawValue === '' ? undefined : rawValue;
    const parsed = schema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${meta.env}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length === 0) problems.push(...crossChecks(out as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out as Config);
}

/** Rules that span keys. Key material itself is checked where it is loaded (keys.ts). */
function crossChecks(c: Config): string[] {
  const problems: string[] = [];
  // NODE_ENV=production alone once ran development mode (codes and a password printed).
  if (c.nodeEnv !== undefined && (c.nodeEnv === 'production') !== (c.mode === 'production'))
    problems.push(
      c.mode === 'production'
        ? `NODE_ENV: is ${c.nodeEnv} but CIVITAS_MODE is production; unset NODE_ENV or set it to production`
        : `NODE_ENV: is production but CIVITAS_MODE is ${c.mode}; set CIVITAS_MODE=production (or unset NODE_ENV)`,
    );
  if (c.mode === 'production') {
    // Every outside system's URL, from the one declaration (settings marked `outside`).
    for (const [key, [, meta]] of Object.entries(settings) as [string, [unknown, SettingMeta]][]) {
      const url = (c as Record<string, unknown>)[key];
      if (meta.outside && typeof url === 'string' && new URL(url).protocol !== 'https:')
        problems.push(
          `${meta.env}: must be an https:// URL in production (tokens and personal data travel on it)`,
        );
    }
    if (!c.smtpUrl) problems.push('SMTP_URL: required in production (the local mailbox sends nothing)');
    if (c.smtpUrl?.startsWith('smtp:') && !c.smtpRequireTls)
      problems.push('SMTP_REQUIRE_TLS: must stay true in production (P7.2: mail leaves only over TLS)');
    if (!c.auditSigningKeyFile) problems.push('AUDIT_SIGNING_KEY_FILE: required in production');
    if (!c.keyringFile) problems.push('KEYRING_FILE: required in production');
    if (!c.smsGatewayUrl)
      problems.push('SMS_GATEWAY_URL: required in production (the local gateway sends nothing)');
    if (!c.companyRegistryUrl)
      problems.push(
        'COMPANY_REGISTRY_URL: required in production (the local registry holds fictitious companies)',
      );
    for (const l of c.linkedProviders.filter((x) => !x.issuer.startsWith('https://')))
      problems.push(`LINKED_ACCOUNT_PROVIDERS: issuer of ${l.id} must be an https:// URL in production`);
    for (const [url, env] of [
      [c.populationRegistryUrl, 'POPULATION_REGISTRY_URL'],
      [c.faceMatchUrl, 'FACE_MATCH_URL'],
      [c.bankVerifyUrl, 'BANK_VERIFY_URL'],
    ] as const) {
      if (!url)
        problems.push(`${env}: required in production (the local partner knows only fictitious people)`);
    }
    if (!c.vapidPublicKey || !c.vapidPrivateKey)
      problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: required in production (web push)');
    if (c.vapidSubject.endsWith('.localhost'))
      problems.push('VAPID_SUBJECT: must name the operator in production (push services write to it)');
    if (!c.publicUrl?.startsWith('https://'))
      problems.push('PUBLIC_URL: must be an https:// URL in production');
  }
  // policy: P6.1 — storage and backups outside the residency region are refused at start.
  if (c.storageRegion && c.storageRegion !== c.residencyRegion) {
    problems.push(
      `STORAGE_REGION: ${c.storageRegion} is outside the data-residency region ${c.residencyRegion} (policy P6.1)`,
    );
  }
  if (c.databaseOwnerUrl && !c.databaseUrl)
    problems.push('DATABASE_OWNER_URL: needs DATABASE_URL (the application role) beside it');
  if (!c.vapidPublicKey !== !c.vapidPrivateKey)
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: give both or neither');
  if (c.smsGatewayUrl && !c.smsGatewayToken)
    problems.push('SMS_GATEWAY_TOKEN: required with SMS_GATEWAY_URL');
  if (c.companyRegistryUrl && !c.companyRegistryToken)
    problems.push('COMPANY_REGISTRY_TOKEN: required with COMPANY_REGISTRY_URL');
  for (const [url, token, env] of [
    [c.populationRegistryUrl, c.populationRegistryToken, 'POPULATION_REGISTRY_TOKEN'],
    [c.faceMatchUrl, c.faceMatchToken, 'FACE_MATCH_TOKEN'],
    [c.bankVerifyUrl, c.bankVerifyToken, 'BANK_VERIFY_TOKEN'],
  ] as const) {
    if (url && !token) problems.push(`${env}: required with ${env.replace('_TOKEN', '_URL')}`);
  }
  if ((c.adminEmail === undefined) !== (c.adminPassword === undefined)) {
    problems.push('CIVITAS_ADMIN_EMAIL / CIVITAS_ADMIN_PASSWORD: set both or neither');
  }
  return problems;
}

/**
 * The URL printed at start and used as the issuer. On a loopback or wildcard address a
 * development start names `localhost`: WebAuthn accepts no numeric host as a relying party,
 * so passkeys would fail on http://127.0.0.1, while browsers treat localhost as a secure
 * context. Tests keep the numeric address they bind (their clients do not care, and a name
 * would add a resolver step to every request).
 */
export function publicUrlOf(c: Pick<Config, 'publicUrl' | 'host' | 'mode'>, boundPort: number): string {
  if (c.publicUrl) return c.publicUrl.replace(/\/$/, '');
  const wildcard = c.host === '0.0.0.0' || c.host === '::';
  const loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(c.host) || c.host === '::1';
  const host = wildcard || (loopback && c.mode === 'development') ? 'localhost' : c.host;
  return `http://${host}:${boundPort}`;
}

/**
 * Invariant: the company registry and linked-account providers are configured or refused
 * at start, never half-way: production demands a real registry and https issuers; a
 * malformed provider list names what is wrong; development falls back to local systems.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './index.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

const provider = (issuer: string) =>
  JSON.stringify([
    {
      id: 'paybao',
      name: { 'zh-CN': '支付宝', en: 'Paybao', cs: 'Paybao' },
      issuer,
      clientId: 'civitas',
      clientSecret: 'a-client-secret-of-some-length',
    },
  ]);

test('development uses the local registry and provider; production refuses to without them', () => {
  const dev = loadConfig({});
  assert.equal(dev.companyRegistryUrl, undefined);
  assert.deepEqual(dev.linkedProviders, []);
  const prod = problemsOf({
    CIVITAS_MODE: 'production',
    LINKED_ACCOUNT_PROVIDERS: provider('http://id.example'),
  });
  assert.ok(prod.some((p) => p.startsWith('COMPANY_REGISTRY_URL: required in production')));
  assert.ok(
    prod.includes('LINKED_ACCOUNT_PROVIDERS: issuer of paybao must be an https:// URL in production'),
  );
  assert.deepEqual(problemsOf({ COMPANY_REGISTRY_URL: 'https://registry.example' }), [
    'COMPANY_REGISTRY_TOKEN: required with COMPANY_REGISTRY_URL',
  ]);
});

test('a malformed provider list is refused with the reason', () => {
  assert.deepEqual(problemsOf({ LINKED_ACCOUNT_PROVIDERS: '{not json' }), [
    'LINKED_ACCOUNT_PROVIDERS: must be a JSON array',
  ]);
  const [bad] = problemsOf({ LINKED_ACCOUNT_PROVIDERS: '[{"id":"Bad Id"}]' });
  assert.match(bad ?? '', /^LINKED_ACCOUNT_PROVIDERS: .*0\.id: lower-case letters, digits and hyphens/);
  assert.equal(
    loadConfig({ LINKED_ACCOUNT_PROVIDERS: provider('https://id.example') }).linkedProviders[0]?.id,
    'paybao',
  );
});

test('P7.2 production refuses a plain-http URL for every outside system', () => {
  const env: Record<string, string> = {
    CIVITAS_MODE: 'production',
    SMS_GATEWAY_URL: 'http://sms.example',
    SMS_GATEWAY_TOKEN: 'a-token-of-some-length',
    COMPANY_REGISTRY_URL: 'http://registry.example',
    COMPANY_REGISTRY_TOKEN: 'a-token-of-some-length',
    POPULATION_REGISTRY_URL: 'http://population.example',
    POPULATION_REGISTRY_TOKEN: 'a-token-of-some-length',
    FACE_MATCH_URL: 'http://face.example',
    FACE_MATCH_TOKEN: 'a-token-of-some-length',
    BANK_VERIFY_URL: 'http://bank.example',
    BANK_VERIFY_TOKEN: 'a-token-of-some-length',
    LINKED_ACCOUNT_PROVIDERS: provider('http://id.example'),
  };
  const problems = problemsOf(env);
  for (const name of [
    'SMS_GATEWAY_URL',
    'COMPANY_REGISTRY_URL',
    'POPULATION_REGISTRY_URL',
    'FACE_MATCH_URL',
    'BANK_VERIFY_URL',
  ])
    assert.ok(
      problems.includes(
        `${name}: must be an https:// URL in production (tokens and personal data travel on it)`,
      ),
      `${name} refused: ${problems.join('\n')}`,
    );
  assert.ok(
    problems.includes('LINKED_ACCOUNT_PROVIDERS: issuer of paybao must be an https:// URL in production'),
  );
  // Development may talk to local fakes over http.
  const dev = Object.fromEntries(
    Object.entries(env).filter(([k]) => k !== 'CIVITAS_MODE' && k !== 'LINKED_ACCOUNT_PROVIDERS'),
  );
  assert.deepEqual(problemsOf(dev), []);
});

test('P7.2 production needs a mail relay and refuses to send mail without TLS', () => {
  const prod = problemsOf({ CIVITAS_MODE: 'production' });
  assert.ok(
    prod.some((p) => p.startsWith('SMTP_URL: required in production')),
    prod.join('\n'),
  );
  const plain = problemsOf({
    CIVITAS_MODE: 'production',
    SMTP_URL: 'smtp://relay.example:587',
    SMTP_REQUIRE_TLS: 'false',
  });
  assert.ok(
    plain.includes('SMTP_REQUIRE_TLS: must stay true in production (P7.2: mail leaves only over TLS)'),
    plain.join('\n'),
  );
  assert.ok(!problemsOf({ SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_REQUIRE_TLS: 'false' }).length);
  assert.ok(problemsOf({ SMTP_URL: 'http://relay.example' }).some((p) => p.startsWith('SMTP_URL:')));
});

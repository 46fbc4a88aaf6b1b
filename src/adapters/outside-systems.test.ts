/**
 * Invariant: production never runs verification against the local partners (which know
 * only fictitious people); each partner URL needs its token; with a URL set, the HTTP
 * client is used.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type ConfigError } from '../kernel/config/index.ts';
import { HttpBankVerify } from './bank-verify.ts';
import { LocalBankVerify } from '../dev/bank-verify.ts';
import { HttpFaceMatch } from './face-match.ts';
import { LocalFaceMatch } from '../dev/face-match.ts';
import { HttpPopulationRegistry } from './population-registry.ts';
import { LocalPopulationRegistry } from '../dev/population-registry.ts';
import { createOutsideSystems } from './outside-systems.ts';
import { HttpSmsGateway } from './sms.ts';
import { HttpCompanyRegistry } from './company-registry.ts';
import { LocalSmsGateway } from '../dev/sms.ts';
import { LocalCompanyRegistry } from '../dev/company-registry.ts';
import { LocalMailbox } from '../dev/mail.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

test('P2.1 production refuses to start without the three verification partners', () => {
  const problems = problemsOf({ CIVITAS_MODE: 'production' });
  for (const env of ['POPULATION_REGISTRY_URL', 'FACE_MATCH_URL', 'BANK_VERIFY_URL'])
    assert.ok(
      problems.some((p) => p.startsWith(`${env}: required in production`)),
      `${env} in ${problems.join('\n')}`,
    );
});

test('a partner URL needs its token, and the face threshold stays within bounds', () => {
  const problems = problemsOf({ FACE_MATCH_URL: 'https://face.example/', FACE_MATCH_THRESHOLD: '0.2' });
  assert.ok(
    problems.some((p) => p.startsWith('FACE_MATCH_THRESHOLD:')),
    problems.join('\n'),
  );
  assert.deepEqual(problemsOf({ FACE_MATCH_URL: 'https://face.example/' }), [
    'FACE_MATCH_TOKEN: required with FACE_MATCH_URL',
  ]);
});

const unset = {
  smsGatewayUrl: undefined,
  smsGatewayToken: undefined,
  companyRegistryUrl: undefined,
  companyRegistryToken: undefined,
  populationRegistryUrl: undefined,
  populationRegistryToken: undefined,
  faceMatchUrl: undefined,
  faceMatchToken: undefined,
  bankVerifyUrl: undefined,
  bankVerifyToken: undefined,
  linkedProviders: [],
  smtpUrl: undefined,
  smtpRequireTls: true,
  smtpCaFile: undefined,
  mailFrom: 'Civitas <no-reply@civitas.example>',
  dataDir: mkdtempSync(join(tmpdir(), 'civitas-outside-')),
};
const token = 'a-partner-token-123456';
const allSet = {
  ...unset,
  smsGatewayUrl: 'https://sms.example/',
  smsGatewayToken: token,
  companyRegistryUrl: 'https://companies.example/',
  companyRegistryToken: token,
  populationRegistryUrl: 'https://registry.example/',
  populationRegistryToken: token,
  faceMatchUrl: 'https://face.example/',
  faceMatchToken: token,
  bankVerifyUrl: 'https://bank.example/',
  bankVerifyToken: token,
  smtpUrl: `smtps://civitas:${token}@mail.example:465`,
};

test('the HTTP clients are chosen when configured, the local partners otherwise', async () => {
  const local = await createOutsideSystems({ ...unset, mode: 'test' });
  try {
    assert.ok(local.partners.registry instanceof LocalPopulationRegistry);
    assert.ok(local.partners.face instanceof LocalFaceMatch);
    assert.ok(local.partners.bank instanceof LocalBankVerify);
    assert.ok(local.sms instanceof LocalSmsGateway);
    assert.ok(local.companyRegistry instanceof LocalCompanyRegistry);
    assert.ok(local.mail instanceof LocalMailbox);
    assert.equal(local.linkedProviders[0]?.id, 'devpay', 'a local upstream provider for linked accounts');
  } finally {
    await local.close();
  }
  const remote = await createOutsideSystems({ ...allSet, mode: 'production' });
  assert.ok(remote.partners.registry instanceof HttpPopulationRegistry);
  assert.ok(remote.partners.face instanceof HttpFaceMatch);
  assert.ok(remote.partners.bank instanceof HttpBankVerify);
  assert.ok(remote.sms instanceof HttpSmsGateway);
  assert.ok(remote.companyRegistry instanceof HttpCompanyRegistry);
  assert.deepEqual(remote.linkedProviders, [], 'production without providers offers no linked sign-in');
  assert.equal(remote.devProvider, undefined);
  assert.ok(!(remote.mail instanceof LocalMailbox), 'the relay, not the local mailbox');
  await remote.close();
});

test('P2.1 production with an outside system unset is refused at start, never given a development fake', async () => {
  for (const [unsetKey, setting] of [
    ['smsGatewayUrl', 'SMS_GATEWAY_URL'],
    ['companyRegistryUrl', 'COMPANY_REGISTRY_URL'],
    ['populationRegistryUrl', 'POPULATION_REGISTRY_URL'],
    ['faceMatchUrl', 'FACE_MATCH_URL'],
    ['bankVerifyUrl', 'BANK_VERIFY_URL'],
    ['smtpUrl', 'SMTP_URL'],
  ] as const) {
    await assert.rejects(
      createOutsideSystems({ ...allSet, [unsetKey]: undefined, mode: 'production' }),
      new RegExp(`refusing to start: ${setting} is not set, and production never uses a development fake`),
    );
  }
});

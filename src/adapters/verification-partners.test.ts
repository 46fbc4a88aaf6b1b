/**
 * Invariant: production never runs verification against the local partners (which know
 * only fictitious people); each partner URL needs its token; with a URL set, the HTTP
 * client is used.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type ConfigError } from '../kernel/config/index.ts';
import { HttpBankVerify, LocalBankVerify } from './bank-verify.ts';
import { HttpFaceMatch, LocalFaceMatch } from './face-match.ts';
import { HttpPopulationRegistry, LocalPopulationRegistry } from './population-registry.ts';
import { createVerificationAdapters } from './verification-partners.ts';

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

test('the HTTP clients are chosen when configured, the local partners otherwise', () => {
  const local = createVerificationAdapters({
    populationRegistryUrl: undefined,
    populationRegistryToken: undefined,
    faceMatchUrl: undefined,
    faceMatchToken: undefined,
    bankVerifyUrl: undefined,
    bankVerifyToken: undefined,
  });
  assert.ok(local.registry instanceof LocalPopulationRegistry);
  assert.ok(local.face instanceof LocalFaceMatch);
  assert.ok(local.bank instanceof LocalBankVerify);
  const token = 'a-partner-token-123456';
  const remote = createVerificationAdapters({
    populationRegistryUrl: 'https://registry.example/',
    populationRegistryToken: token,
    faceMatchUrl: 'https://face.example/',
    faceMatchToken: token,
    bankVerifyUrl: 'https://bank.example/',
    bankVerifyToken: token,
  });
  assert.ok(remote.registry instanceof HttpPopulationRegistry);
  assert.ok(remote.face instanceof HttpFaceMatch);
  assert.ok(remote.bank instanceof HttpBankVerify);
});

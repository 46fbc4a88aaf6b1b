/**
 * Invariant: a bad configuration never starts half-way: every bad key is listed at once,
 * and production refuses to run on development secrets.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSigningKey, writeSigningKey } from '../../modules/audit/index.ts';
import { createKeyringFile, loadLocalKeyManager } from '../../modules/vault/index.ts';
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

describe('configuration', () => {
  test('defaults give a runnable development configuration', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'development');
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, undefined);
    assert.ok(Object.isFrozen(c));
  });

  test('an invalid start lists every bad key, not only the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      CIVITAS_MODE: 'prod',
    });
    assert.equal(problems.length, 4, problems.join('\n'));
    for (const key of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'CIVITAS_MODE']) {
      assert.ok(
        problems.some((p) => p.startsWith(`${key}:`)),
        `${key} reported`,
      );
    }
  });

  test('a config file supplies values, the environment overrides them, unknown keys are errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-cfg-'));
    const file = join(dir, 'civitas.json');
    writeFileSync(file, JSON.stringify({ PORT: 4100, LOG_LEVEL: 'warn' }));
    const c = loadConfig({ CIVITAS_CONFIG_FILE: file, LOG_LEVEL: 'debug' });
    assert.equal(c.port, 4100);
    assert.equal(c.logLevel, 'debug');
    writeFileSync(file, JSON.stringify({ PORTT: 1 }));
    assert.deepEqual(problemsOf({ CIVITAS_CONFIG_FILE: file }), [
      'PORTT: unknown key in CIVITAS_CONFIG_FILE',
    ]);
  });

  test('production demands its secrets instead of defaulting them', () => {
    const problems = problemsOf({ CIVITAS_MODE: 'production' });
    assert.ok(problems.some((p) => p.startsWith('AUDIT_SIGNING_KEY_FILE: required in production')));
    assert.ok(problems.some((p) => p.startsWith('PUBLIC_URL:')));
  });

  test('P6.1 storage outside the data-residency region is refused at start-up', () => {
    assert.deepEqual(problemsOf({ STORAGE_REGION: 'SG' }), [
      'STORAGE_REGION: SG is outside the data-residency region CN (policy P6.1)',
    ]);
    assert.equal(loadConfig({ STORAGE_REGION: 'CN' }).storageRegion, 'CN');
  });

  test('P7.2 production refuses a development signing key and a world-readable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-keys-'));
    // Development generates a key, marked as such.
    const dev = loadSigningKey({ mode: 'development', dataDir: dir, auditSigningKeyFile: undefined });
    assert.equal(dev.development, true);
    const devFile = join(dir, 'keys', 'audit-signing-key.json');
    assert.throws(
      () => loadSigningKey({ mode: 'production', dataDir: dir, auditSigningKeyFile: devFile }),
      /is a development key/,
    );
    const prodFile = join(dir, 'prod-key.json');
    writeSigningKey(prodFile, false);
    assert.equal(
      loadSigningKey({ mode: 'production', dataDir: dir, auditSigningKeyFile: prodFile }).development,
      false,
    );
    chmodSync(prodFile, 0o644);
    assert.throws(
      () => loadSigningKey({ mode: 'production', dataDir: dir, auditSigningKeyFile: prodFile }),
      /readable by group or others/,
    );
    assert.throws(
      () =>
        loadSigningKey({ mode: 'production', dataDir: dir, auditSigningKeyFile: join(dir, 'missing.json') }),
      /does not exist/,
    );
  });
});

describe('production mode (P7.2)', () => {
  test('P7.2 production refuses a development signing key whose flag was edited to false', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-keys-'));
    loadSigningKey({ mode: 'development', dataDir: dir, auditSigningKeyFile: undefined });
    const devFile = join(dir, 'keys', 'audit-signing-key.json');
    const edited = join(dir, 'edited.json');
    const body = JSON.parse(readFileSync(devFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(edited, JSON.stringify({ ...body, development: false }), { mode: 0o600 });
    assert.throws(
      () => loadSigningKey({ mode: 'production', dataDir: dir, auditSigningKeyFile: edited }),
      /was made as a development key/,
    );
  });

  test('P7.2 production refuses a development keyring whose flag was edited to false', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-keys-'));
    loadLocalKeyManager({ mode: 'development', dataDir: dir, keyringFile: undefined });
    const devFile = join(dir, 'keys', 'keyring.json');
    const edited = join(dir, 'edited-keyring.json');
    const body = JSON.parse(readFileSync(devFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(edited, JSON.stringify({ ...body, development: false }), { mode: 0o600 });
    assert.throws(
      () => loadLocalKeyManager({ mode: 'production', dataDir: dir, keyringFile: edited }),
      /was made as a development keyring/,
    );
    // A keyring made for production loads.
    const prod = join(dir, 'prod-keyring.json');
    createKeyringFile(prod, false);
    assert.ok(loadLocalKeyManager({ mode: 'production', dataDir: dir, keyringFile: prod }).activeKeyId);
  });

  test('P7.2 NODE_ENV=production without CIVITAS_MODE=production is refused', () => {
    assert.deepEqual(problemsOf({ NODE_ENV: 'production' }), [
      'NODE_ENV: is production but CIVITAS_MODE is development; set CIVITAS_MODE=production (or unset NODE_ENV)',
    ]);
    assert.ok(
      problemsOf({ NODE_ENV: 'development', CIVITAS_MODE: 'production' }).some((p) =>
        p.startsWith('NODE_ENV: is development but CIVITAS_MODE is production'),
      ),
    );
    assert.equal(loadConfig({ NODE_ENV: 'test', CIVITAS_MODE: 'test' }).mode, 'test');
  });
});

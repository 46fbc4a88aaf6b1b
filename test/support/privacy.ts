/** Wires the privacy engine (audit, consent, vault) on a test database. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuditService,
  loadSigningKey,
  type AuditService,
  type SigningKey,
} from '../../src/modules/audit/index.ts';
import { createConsentService, type ConsentService } from '../../src/modules/consent/index.ts';
import {
  createVaultService,
  loadLocalKeyManager,
  type KeyManager,
  type VaultService,
} from '../../src/modules/vault/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface PrivacyEngine {
  t: TestDatabase;
  dataDir: string;
  keys: KeyManager;
  /** The audit signing key (its derived key chains the entries). */
  signingKey: SigningKey;
  audit: AuditService;
  consent: ConsentService;
  vault: VaultService;
  close(): Promise<void>;
}

export async function startPrivacyEngine(existing?: {
  t: TestDatabase;
  dataDir: string;
}): Promise<PrivacyEngine> {
  const t = existing?.t ?? (await createTestDatabase());
  const dataDir = existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'civitas-privacy-'));
  const cfg = { mode: 'test' as const, dataDir, auditSigningKeyFile: undefined, keyringFile: undefined };
  const keys = loadLocalKeyManager(cfg);
  const signingKey = loadSigningKey(cfg);
  const audit = createAuditService({ db: t.db, key: signingKey });
  const consent = await createConsentService({ db: t.db, audit });
  const vault = createVaultService({ db: t.db, audit, consent, keys });
  return {
    t,
    dataDir,
    keys,
    signingKey,
    audit,
    consent,
    vault,
    async close() {
      await consent.close();
      if (!existing) await t.drop();
    },
  };
}

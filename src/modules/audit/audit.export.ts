/**
 * Checkpoints exported to a file outside the database. The platform rewrites the file
 * after every checkpoint; an operator copies it where the database's administrators cannot
 * write, and `civitas audit verify --checkpoint FILE` proves the log still holds it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../kernel/config/index.ts';
import type { Queryable } from '../../kernel/db/database.ts';
import * as repo from './audit.repository.ts';
import { signatureAlgs, type SignatureAlg } from './audit.signature.ts';

export function checkpointExportPath(config: Pick<Config, 'auditCheckpointExportFile' | 'dataDir'>): string {
  return resolve(config.auditCheckpointExportFile ?? join(config.dataDir, 'audit', 'latest-checkpoint.json'));
}

const exportedSchema = z.object({
  type: z.literal('civitas-audit-checkpoint'),
  id: z.number().int(),
  createdAt: z.string(),
  heads: z.array(z.object({ lane: z.number().int(), seq: z.number().int(), hash: z.string() })),
  prevSig: z.string().nullable(),
  keyId: z.string(),
  signature: z.string(),
  chain: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** Absent from checkpoints exported before SM2 (ADR 0043): Ed25519. */
  alg: z.enum(signatureAlgs).optional(),
});

/** The exported checkpoint in `path`, or undefined if there is none; throws if it is not one. */
export function readExportedCheckpoint(path: string): ExportedCheckpoint | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = exportedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not an exported Civitas audit checkpoint`);
  return parsed.data;
}

/** A checkpoint as exported to a file (hex for the binary fields). */
export interface ExportedCheckpoint {
  type: 'civitas-audit-checkpoint';
  id: number;
  createdAt: string;
  heads: repo.CheckpointRow['heads'];
  prevSig: string | null;
  keyId: string;
  signature: string;
  chain: 1 | 2 | 3;
  alg?: SignatureAlg | undefined;
}

export function exportCheckpoint(c: repo.CheckpointRow): ExportedCheckpoint {
  return {
    type: 'civitas-audit-checkpoint',
    id: c.id,
    createdAt: c.createdAt,
    heads: c.heads,
    prevSig: c.prevSig ? c.prevSig.toString('hex') : null,
    keyId: c.keyId,
    signature: c.signature.toString('hex'),
    chain: c.chain,
    alg: c.alg,
  };
}

export function writeExportedCheckpoint(path: string, c: repo.CheckpointRow): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(exportCheckpoint(c), null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Whether the database still holds the checkpoint exported to `path` (true if none was). */
export async function holdsExportedCheckpoint(
  q: Queryable,
  path: string,
): Promise<{ holds: boolean; exported?: ExportedCheckpoint }> {
  const exported = readExportedCheckpoint(path);
  if (!exported) return { holds: true };
  return { holds: await repo.holdsCheckpointSigned(q, Buffer.from(exported.signature, 'hex')), exported };
}

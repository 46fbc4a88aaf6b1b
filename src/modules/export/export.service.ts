/**
 * "Download my data" (P8.1.export; ADR 0036): the person asks, a job prepares both copies
 * of the archive, the person downloads them until the link expires.
 *
 * Rules:
 * - Asking is audited (`export.requested`) and enqueues the job on the same transaction; while
 *   one archive is on its way, asking again is that archive.
 * - The job counts its progress in sections; the copies are compressed and encrypted under a
 *   key of this archive alone, wrapped by the vault's keyring, before they are stored.
 * - Only the person downloads their archive, only while its link lives (EXPORT_LINK_DAYS);
 *   another person's archive is not found. Each download is audited (`export.downloaded`)
 *   and recorded in the access log the person sees (vault `recordExport`), in one transaction
 *   with the count of downloads. Step-up before asking and downloading is the page's (guard
 *   table: `step-up`).
 * - Expired copies are deleted by `sweep` (the `export.sweep` job); a reader also treats a
 *   link past its time as expired, whether or not the job ran.
 * - Nothing here is logged; job payloads carry the archive id only.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import { labels, type SubjectData } from '../../kernel/subject-data.ts';
import type { AuditService } from '../audit/index.ts';
import {
  categories,
  categoryOf,
  fields as fieldSpecs,
  isField,
  isPurpose,
  purposes,
  type Category,
  type Field,
} from '../inventory/index.ts';
import type { PolicyService } from '../policy/index.ts';
import type { KeyManager, VaultService } from '../vault/index.ts';
import type { Outbox } from '../notify/index.ts';
import { chinaDayBefore } from '../../shared/working-days.ts';
import { archiveTexts } from './export.texts.ts';
import { createArchiveWriter } from './export.archive.ts';
import { planExport, type Plan, type Row, type Rows, type TableExporter } from './export.engine.ts';
import { exportErrors } from './export.errors.ts';
import * as repo from './export.repository.ts';

export const PREPARE_JOB = 'export.prepare';
/** How long the row of an ended archive (expired, failed) stays as the record (export.data.ts). */
const ENDED_KEEP_DAYS = 30;

export interface ExportView {
  id: string;
  state: repo.JobRow['state'];
  sectionsDone: number;
  sectionsTotal: number;
  requestedAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  jsonBytes: number | null;
  htmlBytes: number | null;
}

export interface Download {
  body: Buffer;
  contentType: string;
  filename: string;
}

export interface ExportService {
  readonly plan: Plan;
  /** Asks for a new archive (or finds the one on its way); returns its id. */
  request(subjectId: string, locale: Locale, requestId?: string): Promise<string>;
  /** The job: prepares the archive (safe to run again after a crash). */
  prepare(jobId: string): Promise<{ sections: number; rows: number } | { skipped: string }>;
  /** The person's archives, newest first; a link past its time shows as expired. */
  list(subjectId: string): Promise<ExportView[]>;
  /** One copy, for its owner only; audited and recorded in the access log. */
  download(subjectId: string, jobId: string, format: 'json' | 'html', requestId?: string): Promise<Download>;
  /**
   * Deletes the copies of archives whose link expired, and the rows of archives that ended
   * more than 30 days ago (the `export.sweep` job); returns how many expired now.
   */
  sweep(): Promise<number>;
  /** Where `request` enqueues the job (the platform's job runner, set once it exists). */
  useQueue(enqueue: (q: Queryable, jobId: string) => Promise<unknown>): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function* once(rows: Promise<readonly Row[]>): Rows {
  yield await rows;
}

/** AES-256-GCM: 12-byte nonce, then the 16-byte tag, then the ciphertext. */
function sealArchive(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function openArchive(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(Buffer.from(aad));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}

/** The inventory's labels for codes the readable copy shows (unknown codes stay as they are). */
const labelOf = {
  field: (code: string, l: Locale) => (isField(code) ? fieldSpecs[code].label[l] : code),
  purpose: (code: string, l: Locale) => (isPurpose(code) ? purposes[code].label[l] : code),
  category: (code: string, l: Locale) =>
    Object.hasOwn(categories, code) ? categories[code as Category].label[l] : code,
};

/** The owners' exporters this module knows itself: the vault's tables and consents. */
export function builtInExporters(vault: VaultService, policy: PolicyService): Record<string, TableExporter> {
  return {
    vault_subject: {
      rows: (subjectId) =>
        once(vault.ownValues(subjectId).then((o) => (o.subject ? [o.subject as unknown as Row] : []))),
    },
    vault_field: {
      // The decrypted value stands where the ciphertext's column is declared.
      columns: (declared) =>
        declared.map((c) => (c.name === 'ciphertext' ? { name: 'value', label: c.label } : c)),
      display: { field: labelOf.field, collected_for: labelOf.purpose },
      rows: (subjectId) => once(vault.ownValues(subjectId).then((o) => o.values as unknown as Row[])),
    },
    vault_access: {
      rows: (subjectId) => vault.accessRecords(subjectId),
      display: { purpose: labelOf.purpose, fields: labelOf.field, categories: labelOf.category },
    },
    // P5.1.1 a consent with the exact text it was given on.
    consent: {
      columns: (declared) => [
        ...declared,
        { name: 'text', label: labels('同意时显示的文本', 'Text shown', 'Zobrazený text') },
      ],
      display: { purpose: labelOf.purpose, categories: labelOf.category },
      async *rows(_subjectId, generic) {
        for await (const batch of generic()) {
          const out: Row[] = [];
          for (const r of batch as readonly Row[]) {
            const text =
              Buffer.isBuffer(r.text_hash) && typeof r.document_id === 'string'
                ? await policy.textOf(
                    {
                      documentId: r.document_id,
                      version: r.document_version as never,
                      language: r.document_language as never,
                    },
                    r.text_hash,
                  )
                : undefined;
            out.push({ ...r, text: text ?? null });
          }
          yield out;
        }
      },
    },
  };
}

export function createExportService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  policy: PolicyService;
  keys: KeyManager;
  /** The subject-data declarations (the inventory's `subjectData`). */
  owners: readonly SubjectData[];
  /** Exporters of owners outside the modules (the OpenID provider's tables). */
  exporters?: Readonly<Record<string, TableExporter>>;
  linkDays: number;
  /** Where the person is told that the archive is ready (notify's outbox). */
  outbox?: Pick<Outbox, 'enqueue'>;
}): ExportService {
  const { db, audit, vault, keys } = deps;
  const plan = planExport(deps.owners, { ...builtInExporters(vault, deps.policy), ...deps.exporters });
  if (plan.problems.length > 0) throw new Error(`export plan: ${plan.problems.join('; ')}`);
  let enqueue: ((q: Queryable, jobId: string) => Promise<unknown>) | undefined;

  const view = (r: repo.JobRow): ExportView => ({
    id: r.id,
    state: r.state === 'ready' && r.expiresAt && r.expiresAt <= new Date() ? 'expired' : r.state,
    sectionsDone: r.sectionsDone,
    sectionsTotal: r.sectionsTotal,
    requestedAt: r.requestedAt,
    readyAt: r.readyAt,
    expiresAt: r.expiresAt,
    jsonBytes: r.jsonBytes,
    htmlBytes: r.htmlBytes,
  });

  async function build(job: repo.JobRow): Promise<{ json: Buffer; html: Buffer; rows: number }> {
    const locale = job.locale as Locale;
    const w = createArchiveWriter({
      jobId: job.id,
      subjectId: job.subjectId,
      locale,
      generatedAt: new Date(),
      texts: archiveTexts[locale],
    });
    let done = 0;
    let rows = 0;
    let told = performance.now();
    for (const s of plan.sections) {
      w.begin({
        table: s.table,
        owner: s.owner,
        label: s.label[locale],
        columns: s.columns,
        display: s.exporter?.display,
      });
      const generic = () =>
        once(
          s.matches.length === 0
            ? Promise.resolve([])
            : repo.sectionRows(
                db,
                s.table,
                s.declared.map((c) => c.name),
                s.matches,
                job.subjectId,
              ),
        );
      for await (const batch of s.exporter ? s.exporter.rows(job.subjectId, generic) : generic()) {
        w.rows(batch);
        rows += Array.isArray(batch) ? batch.length : (batch as { count: number }).count;
      }
      w.end();
      done++;
      // Progress the person sees while waiting: at most a few times a second (the page
      // refreshes every 3 s), not a statement per section.
      if (performance.now() - told > 250) {
        told = performance.now();
        await repo.progress(db, job.id, done);
      }
    }
    return { ...w.finish(), rows };
  }

  return {
    plan,

    useQueue(fn) {
      enqueue = fn;
    },

    async request(subjectId, locale, requestId) {
      return db.tx(async (q) => {
        const id = await repo.insertJob(q, subjectId, locale);
        if (!id) {
          const live = (await repo.jobsOf(q, subjectId, 5)).find(
            (j) => j.state === 'requested' || j.state === 'preparing',
          );
          if (live) return live.id;
          throw new Error('an archive was on its way and is not found');
        }
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'export.requested',
          subject: { type: 'person', id: subjectId },
          purpose: 'service-provision',
          legalBasis: 'self',
          clause: 'P8.1.export',
          detail: { archive: id, language: locale },
          requestId: requestId ?? null,
        });
        if (enqueue) await enqueue(q, id);
        return id;
      });
    },

    async prepare(jobId) {
      const job = await repo.job(db, jobId);
      if (!job) return { skipped: 'unknown' };
      if (job.state !== 'requested' && job.state !== 'preparing') return { skipped: job.state };
      if (!(await repo.startJob(db, jobId, ['requested', 'preparing'], plan.sections.length)))
        return { skipped: 'taken' };
      try {
        const built = await build(job);
        const key = randomBytes(32);
        const { keyId, wrapped } = await keys.wrap(key, `export:${jobId}`);
        const json = sealArchive(key, gzipSync(built.json, { level: 1 }), `export:${jobId}:json`);
        const html = sealArchive(key, gzipSync(built.html, { level: 1 }), `export:${jobId}:html`);
        await db.tx(async (q) => {
          const expiresAt = await repo.finishJob(q, jobId, {
            keyId,
            wrappedKey: wrapped,
            json,
            html,
            jsonBytes: built.json.length,
            htmlBytes: built.html.length,
            days: deps.linkDays,
          });
          if (!expiresAt) return;
          await audit.append(q, {
            actor: { type: 'system', id: PREPARE_JOB },
            action: 'export.prepared',
            subject: { type: 'person', id: job.subjectId },
            purpose: 'service-provision',
            clause: 'P8.1.export',
            detail: { archive: jobId, sections: plan.sections.length, rows: built.rows },
          });
          // The person may have left the page: they hear it is ready, and until when.
          await deps.outbox?.enqueue(q, {
            subjectId: job.subjectId,
            locale: job.locale,
            template: 'export-ready',
            params: { until: chinaDayBefore(expiresAt) },
          });
        });
        return { sections: plan.sections.length, rows: built.rows };
      } catch (err) {
        // The person may ask again; what failed is recorded as a code, never as data.
        const code = err instanceof AppError ? err.code : err instanceof Error ? err.name : 'error';
        await repo.failJob(db, jobId, code);
        throw err;
      }
    },

    async list(subjectId) {
      return (await repo.jobsOf(db, subjectId, 10)).map(view);
    },

    async download(subjectId, jobId, format, requestId) {
      if (!UUID.test(jobId)) throw new AppError(exportErrors.not_found);
      const job = await repo.job(db, jobId);
      if (!job || job.subjectId !== subjectId) throw new AppError(exportErrors.not_found);
      const state = view(job).state;
      if (state === 'expired') throw new AppError(exportErrors.expired);
      if (state !== 'ready') throw new AppError(exportErrors.not_ready);
      const sealed = await db.tx(async (q) => {
        const taken = await repo.takeArchive(q, jobId, subjectId, format);
        if (!taken) throw new AppError(exportErrors.expired);
        const held = plan.sections.map((s) => s.table);
        const values = (await vault.ownValues(subjectId)).values.map((v) => v.field);
        const fieldNames = [...new Set(values)].filter((f): f is Field => Object.hasOwn(fieldSpecs, f));
        await vault.recordExport(q, subjectId, {
          fields: fieldNames,
          categories: [...new Set(fieldNames.map((f) => categoryOf(f)))],
          archive: jobId,
        });
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'export.downloaded',
          subject: { type: 'person', id: subjectId },
          purpose: 'service-provision',
          legalBasis: 'self',
          clause: 'P8.1.export',
          detail: { archive: jobId, format, sections: held.length },
          requestId: requestId ?? null,
        });
        return taken;
      });
      const key = await keys.unwrap(sealed.keyId, sealed.wrappedKey, `export:${jobId}`);
      const body = gunzipSync(openArchive(key, sealed.sealed, `export:${jobId}:${format}`));
      const day = (job.readyAt ?? job.requestedAt).toISOString().slice(0, 10);
      return {
        body,
        contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
        filename: `civitas-my-data-${day}.${format}`,
      };
    },

    async sweep() {
      const expired = (await repo.expireDue(db)).length;
      await repo.deleteEnded(db, ENDED_KEEP_DAYS);
      return expired;
    },
  };
}

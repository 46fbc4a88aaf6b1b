/**
 * The personal-data vault: the one place personal data is written, found and read.
 *
 * Rules:
 * - P7.2 every value is encrypted with AES-256-GCM under the subject's own data key, with
 *   `vault_field:<field>:<subject>[:<compartment>]` as associated data, so a ciphertext cannot
 *   be moved to another field, person or application.
 * - P2.4 a value given for one application only (a delivery contact) is written and read
 *   in that application's compartment; a read without the compartment never sees it, and it is
 *   never searchable.
 * - P3.1 every value records its source and the purpose it was collected for.
 * - P4 every read names actor, purpose and basis; only fields the purpose uses are
 *   returned (minimisation), the rest are reported as withheld.
 * - P7.2.roles a staff actor reads only for a purpose its role holds (`vault.staff.ts`),
 *   checked here before anything is loaded, whatever route or service asks.
 * - P5.3.3 every read by someone other than the person is logged for "who accessed my
 *   data" before the data is returned; refusals are audited.
 * - P8.1 destroying the data key (crypto-shredding) makes every value unreadable in every
 *   copy of the database made from then on.
 * - Lookups use keyed blind indexes, never plaintext.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { auditActor, type AuditService } from '../audit/index.ts';
import type { ConsentService } from '../consent/index.ts';
import {
  categoryOf,
  fields as fieldSpecs,
  purposes,
  type Field,
  type PurposeId,
} from '../inventory/index.ts';
import {
  accessedSubjects,
  accessFacets,
  accessPage,
  accessWindow,
  createAccessWriter,
  insertAccess,
  insertRefusal,
  accessRecordsJsonAfter,
  recipientsOf,
  releasesPage,
  type Recipient,
  type Release,
  type AccessedScope,
  type AccessEntry,
  type AccessPage,
  type AccessQuery,
  type AccessView,
} from './vault.access.ts';
import { checkBasis } from './vault.basis.ts';
import { checkStaffPurpose } from './vault.staff.ts';
import { vaultErrors } from './vault.errors.ts';
import { lookupTokenLength, open, seal, versionOf, type KeyManager, type Suite } from './keyring.ts';
import * as repo from './vault.repository.ts';
import type { Actor, Basis, ErasureReason, ReadRequest, ReadResult } from './vault.types.ts';

export type Source = 'user' | 'derived' | 'partner' | 'staff';

/** One read of a `readMany`: its values, or the refusal that stopped it (nothing read). */
export type ReadOutcome = ({ ok: true } & ReadResult) | { ok: false; error: AppError };

const aad = (field: string, subjectId: string, compartment: string) =>
  Buffer.from(`vault_field:${field}:${subjectId}${compartment ? `:${compartment}` : ''}`);

/** Lookups compare normalised values: trimmed, upper-case (ID check letter X), no spaces. */
export const normalise = (value: string) => value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

const otherSuite = (s: Suite): Suite => (s === 'national' ? 'default' : 'national');

/** What a read can be done for (an export is recorded by `recordExport`, never read this way). */
type ReadOperation = Exclude<AccessEntry['operation'], 'export'>;

export interface DisclosureOptions {
  operation: ReadOperation;
  /** Until when the entry stays hidden from the person (a recorded legal restriction). */
  hiddenUntil?: Date | null;
  consentKind?: 'use' | 'share' | 'transfer';
  recipient?: { type: string; id: string };
  /**
   * Writes that must commit together with the access entry (the audit entry of a share,
   * the notice owed for a disclosure). Without it, the entry goes through the
   * group-commit writer.
   */
  within?: (q: Queryable) => Promise<void>;
  /**
   * Values the person supplied for this one operation and that are not stored (a camera
   * capture, a bank card number): minimised, basis-checked and recorded like stored fields,
   * then returned with them. They count as collected now, for the read's purpose.
   */
  supplied?: Partial<Record<Field, string>>;
}

export interface VaultService {
  createSubject(kind: 'person' | 'organisation', q?: Queryable): Promise<string>;
  write(
    subjectId: string,
    values: Partial<Record<Field, string>>,
    meta: { source: Source; purpose: PurposeId; actor: Actor; requestId?: string; compartment?: string },
    q?: Queryable,
  ): Promise<void>;
  /** Deletes every value of an application's compartment (its retention ended, or the person asked). */
  eraseCompartment(
    subjectId: string,
    compartment: string,
    meta: { actor: Actor; reason: ErasureReason; clause: string },
    q?: Queryable,
  ): Promise<string[]>;
  /**
   * Deletes some of the person's own values (not a compartment's): the person removed their
   * e-mail address. The blind-index token goes with the row, so the value finds nobody.
   */
  erase(
    subjectId: string,
    fields: readonly Field[],
    meta: {
      actor: Actor;
      reason: ErasureReason;
      clause: 'P8.1' | 'P8.1.delete' | 'P2.1';
      requestId?: string;
    },
    q?: Queryable,
  ): Promise<Field[]>;
  findSubject(field: Field, value: string): Promise<string[]>;
  /**
   * A keyed hash of a value (HMAC-SHA256 in both suites, ADR 0043): lets other modules key
   * short-lived records by it without the value. Not the token the vault stores.
   */
  lookupToken(field: Field, value: string): Buffer;
  read(req: ReadRequest): Promise<ReadResult>;
  /**
   * Many reads in one go, each checked and logged as `read` would (its access entry durable
   * before its value is returned), in a few statements whatever their number: each read's
   * result or the refusal that stopped it, in order.
   */
  readMany(reqs: readonly ReadRequest[]): Promise<ReadOutcome[]>;
  /** A read on behalf of a share, transfer or disclosure (used by the sharing module). */
  readFor(req: ReadRequest, opts: DisclosureOptions): Promise<ReadResult>;
  /** What happened, newest first (refused attempts left out). */
  accessLog(subjectId: string, opts?: { before?: number; limit?: number }): Promise<AccessView[]>;
  /** P8.1 "who accessed my data": what happened and what was refused, filtered, one page. */
  accessHistory(subjectId: string, query: AccessQuery): Promise<AccessPage>;
  /** The actors and purposes in the person's log (the choices of its filter). */
  accessFacets(subjectId: string): ReturnType<typeof accessFacets>;
  /**
   * P8.1.view who of these actor kinds received the person's data: what, under which
   * consents, when last (connected services). Reads only the log, nothing of the values.
   */
  recipients(subjectId: string, actorTypes: readonly string[]): Promise<Recipient[]>;
  /** P8.1.view a page of releases of the person's data to outside actors (the activity history). */
  releases(subjectId: string, page: Parameters<typeof releasesPage>[2]): Promise<Release[]>;
  /**
   * P7.2i the people whose data was accessed in a window (an incident's scope), in batches
   * ascending by id (at most `batch`, default 20,000), each its own short statement.
   */
  accessedSubjects(scope: AccessedScope, opts?: { batch?: number }): AsyncIterable<string[]>;
  /** Destroys the person's data key; inside the caller's transaction when `within` is given. */
  shred(subjectId: string, by: Actor, reason: ErasureReason, within?: Queryable): Promise<void>;
  /** Rewraps every data key under the active master key and the key manager's suite. */
  rewrapKeys(batch?: number): Promise<number>;
  /**
   * Reseals every value sealed by another suite than the key manager's (ADR 0043), in
   * batches that skip rows in use: reads go on throughout, each value readable in either.
   */
  resealValues(batch?: number): Promise<number>;
  /**
   * Recomputes every blind-index token of another suite than the key manager's (ADR 0043),
   * in batches that skip rows in use; lookups find a value by either token meanwhile.
   */
  reindexValues(batch?: number): Promise<number>;
  /**
   * The people whose data the vault holds, in pages of ids after `after` (a bulk transfer's
   * "all people", P5.3.2): ids only, nothing read, so nothing is logged as an access.
   */
  people(opts: { after?: string | null; limit: number }): Promise<string[]>;
  /** Which of these ids are people whose data the vault holds (the rest are unknown). */
  knownPeople(ids: readonly string[]): Promise<string[]>;
  /**
   * P8.1.export the person's own subject row and every value they hold (each compartment's
   * too), decrypted for their archive. Nothing is logged here: the download of the archive
   * is the access, recorded by `recordExport`.
   */
  ownValues(subjectId: string): Promise<OwnValues>;
  /**
   * P8.1.export every access entry the person may see, oldest first, in keyset batches, each
   * batch one JSON text of the entries' objects joined by commas (the columns the inventory
   * labels for export).
   */
  accessRecords(subjectId: string, opts?: { batch?: number }): AsyncIterable<{ json: string; count: number }>;
  /**
   * P8.1.export the person downloaded an archive of their data: an access entry (actor the
   * person, operation `export`) on the caller's transaction, beside its audit entry.
   */
  recordExport(
    q: Queryable,
    subjectId: string,
    e: { fields: readonly string[]; categories: readonly string[]; archive: string },
  ): Promise<void>;
}

/** The person's subject row and values, as their archive shows them. */
export interface OwnValues {
  subject: { id: string; kind: string; created_at: Date } | undefined;
  values: {
    field: string;
    scope: string;
    value: string;
    source: string;
    collected_for: string;
    collected_at: Date;
    updated_at: Date;
  }[];
}

export function createVaultService(deps: {
  db: Database;
  audit: AuditService;
  consent: ConsentService;
  keys: KeyManager;
}): VaultService {
  const { db, audit, consent, keys } = deps;
  const access = createAccessWriter(db);

  const dataKey = async (k: repo.SubjectKey | undefined, subjectId: string): Promise<Buffer> => {
    if (!k) throw new AppError(vaultErrors.unknown_subject);
    if (!k.wrappedKey || !k.keyId) throw new AppError(vaultErrors.subject_erased);
    return keys.unwrap(k.keyId, k.wrappedKey, subjectId);
  };

  /** Both suites' tokens of a value, the key manager's first (ADR 0043: dual lookup). */
  const lookupTokens = (field: Field, value: string) => [
    keys.lookupIndex(field, normalise(value), keys.suite),
    keys.lookupIndex(field, normalise(value), otherSuite(keys.suite)),
  ];

  // P8.1 a refused attempt is shown to the person too (unless a legal restriction hides it,
  // like the disclosure it was part of); audit keeps the same refusal for the platform.
  const auditRefusal = async (
    req: ReadRequest,
    err: AppError,
    operation: ReadOperation,
    hiddenUntil: Date | null,
  ) =>
    db.tx(async (q) => {
      if (req.actor.type !== 'self') {
        await insertRefusal(q, {
          subjectId: req.subjectId,
          operation,
          actorType: req.actor.type,
          actorId: req.actor.id,
          actorLabel: req.actor.label,
          purpose: req.purpose,
          basis: req.basis.type,
          basisRef: basisRef(req.basis),
          fields: [...req.fields],
          categories: [...new Set(req.fields.map((f) => categoryOf(f)))],
          visibleFrom: hiddenUntil,
          refusal: err.code,
        });
      }
      await audit.append(q, {
        actor: auditActor(req.actor),
        action: `vault.${operation}_refused`,
        subject: { type: 'person', id: req.subjectId },
        purpose: req.purpose,
        legalBasis: req.basis.type,
        clause: err.clause ?? null,
        detail: { code: err.code, fields: [...req.fields] },
        requestId: req.requestId ?? null,
      });
    });

  /** What a read may ask for: the fields its purpose covers (the rest withheld), supplied or stored. */
  const scopeOf = (req: ReadRequest, supplied: DisclosureOptions['supplied']) => {
    const allowedCategories = purposes[req.purpose].categories as readonly string[];
    const withheld: ReadResult['withheld'] = [];
    const inPurpose = (f: Field) => {
      const ok = allowedCategories.includes(categoryOf(f));
      if (!ok) withheld.push({ field: f, reason: 'outside-purpose' });
      return ok;
    };
    const suppliedNames = (Object.keys(supplied ?? {}) as Field[]).filter(inPurpose);
    const wanted = req.fields.filter((f) => !suppliedNames.includes(f) && inPurpose(f));
    return { withheld, suppliedNames, wanted };
  };

  /** Checks done before anything is loaded (the role's purposes, something left to read). */
  const precheck = (req: ReadRequest, scope: ReturnType<typeof scopeOf>) => {
    if (req.actor.type === 'staff') checkStaffPurpose(req.actor, req.purpose);
    if (scope.wanted.length + scope.suppliedNames.length === 0)
      throw new AppError(vaultErrors.purpose_excludes_fields);
  };

  /**
   * Over what was loaded: the data key, the basis check, and the access entry owed before
   * any value is returned (none for the person's own reads).
   */
  const decide = async (
    req: ReadRequest,
    opts: DisclosureOptions,
    scope: ReturnType<typeof scopeOf>,
    loaded: { key: repo.SubjectKey | undefined; rows: repo.FieldRow[] },
  ): Promise<{ dk: Buffer; entry: AccessEntry | undefined }> => {
    const { wanted, suppliedNames, withheld } = scope;
    const dk = await dataKey(loaded.key, req.subjectId);
    const held = [
      ...loaded.rows.filter((r) => (wanted as readonly string[]).includes(r.field)),
      ...suppliedNames.map((f) => ({ field: f as string, collectedFor: req.purpose as string })),
    ];
    await checkBasis({
      subjectId: req.subjectId,
      actor: req.actor,
      purpose: req.purpose,
      basis: req.basis,
      fields: held.map((r) => ({ field: r.field as Field, collectedFor: r.collectedFor })),
      ...(opts.consentKind ? { consentKind: opts.consentKind } : {}),
      ...(opts.recipient ? { recipient: opts.recipient } : {}),
      consents: () => consent.of(req.subjectId),
    });
    for (const f of wanted)
      if (!held.some((r) => r.field === f)) withheld.push({ field: f, reason: 'not-held' });
    if (req.actor.type === 'self' || held.length === 0) return { dk, entry: undefined };
    return {
      dk,
      entry: {
        subjectId: req.subjectId,
        operation: opts.operation,
        actorType: req.actor.type,
        actorId: req.actor.id,
        actorLabel: req.actor.label,
        purpose: req.purpose,
        basis: req.basis.type,
        basisRef: basisRef(req.basis),
        fields: held.map((r) => r.field),
        categories: [...new Set(held.map((r) => categoryOf(r.field as Field)))],
        visibleFrom: opts.hiddenUntil ?? null,
      },
    };
  };

  /** The values, decrypted only once their access entry is durable. */
  const reveal = (
    req: ReadRequest,
    scope: ReturnType<typeof scopeOf>,
    rows: repo.FieldRow[],
    dk: Buffer,
    supplied: DisclosureOptions['supplied'],
  ): ReadResult => {
    const compartment = req.compartment ?? '';
    const values: ReadResult['values'] = {};
    for (const r of rows)
      if ((scope.wanted as readonly string[]).includes(r.field))
        values[r.field as Field] = open(dk, r.ciphertext, aad(r.field, req.subjectId, compartment)).toString(
          'utf8',
        );
    for (const f of scope.suppliedNames) values[f] = supplied![f]!;
    return { values, withheld: scope.withheld };
  };

  async function readFor(req: ReadRequest, opts: DisclosureOptions): Promise<ReadResult> {
    const scope = scopeOf(req, opts.supplied);
    try {
      precheck(req, scope);
      const loaded = await repo.subjectWithFields(db, req.subjectId, scope.wanted, req.compartment ?? '');
      const { dk, entry } = await decide(req, opts, scope, loaded);
      // Durable before returned: the access entry commits first (self reads are not logged).
      if (entry) {
        const within = opts.within;
        if (within) {
          await db.tx(async (q) => {
            await insertAccess(q, [entry]);
            await within(q);
          });
        } else {
          await access.record(entry);
        }
      }
      return reveal(req, scope, loaded.rows, dk, opts.supplied);
    } catch (err) {
      if (err instanceof AppError && err.status === 403)
        await auditRefusal(req, err, opts.operation, opts.hiddenUntil ?? null);
      throw err;
    }
  }

  /**
   * Many plain reads at once (a batch of mail to send): every read is checked and recorded
   * exactly as `read` would, but the keys and fields of all subjects come in one statement
   * per compartment and the access entries are written together, each one committed before
   * any value is returned. A refused read is that read's result; the others go on.
   */
  async function readMany(reqs: readonly ReadRequest[]): Promise<ReadOutcome[]> {
    const opts: DisclosureOptions = { operation: 'read' };
    const out: ReadOutcome[] = new Array(reqs.length);
    const refuse = async (i: number, err: unknown) => {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 403) await auditRefusal(reqs[i]!, err, 'read', null);
      out[i] = { ok: false, error: err };
    };
    const scopes = reqs.map((r) => scopeOf(r, undefined));
    const live: number[] = [];
    for (let i = 0; i < reqs.length; i++) {
      try {
        precheck(reqs[i]!, scopes[i]!);
        live.push(i);
      } catch (err) {
        await refuse(i, err);
      }
    }
    const byCompartment = new Map<string, number[]>();
    for (const i of live) {
      const c = reqs[i]!.compartment ?? '';
      byCompartment.set(c, [...(byCompartment.get(c) ?? []), i]);
    }
    const loaded = new Map<number, { key: repo.SubjectKey | undefined; rows: repo.FieldRow[] }>();
    for (const [compartment, idx] of byCompartment) {
      const fields = [...new Set(idx.flatMap((i) => scopes[i]!.wanted))];
      const subjects = await repo.subjectsWithFields(
        db,
        idx.map((i) => reqs[i]!.subjectId),
        fields,
        compartment,
      );
      for (const i of idx) loaded.set(i, subjects.get(reqs[i]!.subjectId) ?? { key: undefined, rows: [] });
    }
    const decided: { i: number; dk: Buffer; entry: AccessEntry | undefined }[] = [];
    for (const i of live) {
      try {
        decided.push({ i, ...(await decide(reqs[i]!, opts, scopes[i]!, loaded.get(i)!)) });
      } catch (err) {
        await refuse(i, err);
      }
    }
    const entries = decided.flatMap((d) => (d.entry ? [d.entry] : []));
    for (let k = 0; k < entries.length; k += 500) await insertAccess(db, entries.slice(k, k + 500));
    for (const d of decided)
      out[d.i] = { ok: true, ...reveal(reqs[d.i]!, scopes[d.i]!, loaded.get(d.i)!.rows, d.dk, undefined) };
    return out;
  }

  return {
    async createSubject(kind, q = db) {
      const id = randomUUID();
      const { keyId, wrapped } = await keys.wrap(randomBytes(32), id);
      await repo.insertSubject(q, id, kind, keyId, wrapped);
      return id;
    },

    async write(subjectId, values, meta, q) {
      const run = async (tx: Queryable) => {
        const dk = await dataKey(await repo.subjectKey(tx, subjectId), subjectId);
        const names = Object.keys(values) as Field[];
        const compartment = meta.compartment ?? '';
        for (const field of names) {
          const value = values[field];
          if (typeof value !== 'string' || value.length === 0 || value.length > 100_000) {
            throw new AppError(vaultErrors.invalid_value, `${field} must be a non-empty string`);
          }
          const spec = fieldSpecs[field];
          const lookup = 'lookup' in spec && !compartment ? spec.lookup : undefined;
          const token = lookup ? keys.lookupIndex(field, normalise(value), keys.suite) : null;
          // Mid-move (ADR 0043) another person may hold the value under the other suite's
          // token, which the unique index cannot see: checked here as a lookup would.
          if (lookup === 'unique') {
            const other = keys.lookupIndex(field, normalise(value), otherSuite(keys.suite));
            if ((await repo.findByLookup(tx, field, [other])).some((id) => id !== subjectId))
              throw new AppError(vaultErrors.duplicate_value, field);
          }
          try {
            await repo.upsertField(tx, {
              subjectId,
              field,
              ciphertext: seal(
                dk,
                Buffer.from(value, 'utf8'),
                aad(field, subjectId, compartment),
                keys.suite,
              ),
              lookupUnique: lookup === 'unique' ? token : null,
              lookupShared: lookup === 'shared' ? token : null,
              source: meta.source,
              collectedFor: meta.purpose,
              compartment,
            });
          } catch (err) {
            if ((err as { code?: string }).code === '23505')
              throw new AppError(vaultErrors.duplicate_value, field);
            throw err;
          }
        }
        await audit.append(tx, {
          actor: auditActor(meta.actor),
          action: 'vault.fields_written',
          subject: { type: 'person', id: subjectId },
          purpose: meta.purpose,
          clause: 'P3.1',
          detail: { fields: names, source: meta.source, ...(compartment ? { scope: compartment } : {}) },
          requestId: meta.requestId ?? null,
        });
      };
      return q ? run(q) : db.tx(run);
    },

    async eraseCompartment(subjectId, compartment, meta, q) {
      if (!compartment)
        throw new AppError(vaultErrors.invalid_value, 'only an application compartment can be erased');
      const run = async (tx: Queryable) => {
        const erased = await repo.deleteCompartment(tx, subjectId, compartment);
        await audit.append(tx, {
          actor: auditActor(meta.actor),
          action: 'vault.scope_erased',
          subject: { type: 'person', id: subjectId },
          purpose: 'erasure',
          clause: meta.clause,
          detail: { scope: compartment, fields: erased, reason: meta.reason },
        });
        return erased;
      };
      return q ? run(q) : db.tx(run);
    },

    async erase(subjectId, fields, meta, q) {
      const run = async (tx: Queryable) => {
        const erased = (await repo.deleteFields(tx, subjectId, fields)) as Field[];
        await audit.append(tx, {
          actor: auditActor(meta.actor),
          action: 'vault.fields_erased',
          subject: { type: 'person', id: subjectId },
          purpose: 'erasure',
          clause: meta.clause,
          detail: { fields: erased, reason: meta.reason },
          requestId: meta.requestId ?? null,
        });
        return erased;
      };
      return q ? run(q) : db.tx(run);
    },

    async findSubject(field, value) {
      return repo.findByLookup(db, field, lookupTokens(field, value));
    },

    lookupToken: (field, value) => keys.blindIndex(field, normalise(value)),

    read: (req) => readFor(req, { operation: 'read' }),
    readFor,
    readMany,

    async accessLog(subjectId, opts = {}) {
      return accessPage(db, subjectId, opts.before ?? null, Math.min(opts.limit ?? 20, 100));
    },
    accessHistory: (subjectId, query) =>
      accessWindow(db, subjectId, { ...query, limit: Math.min(Math.max(query.limit, 1), 100) }),
    accessFacets: (subjectId) => accessFacets(db, subjectId),
    recipients: (subjectId, actorTypes) => recipientsOf(db, subjectId, actorTypes),
    releases: (subjectId, page) => releasesPage(db, subjectId, page),

    async *accessedSubjects(scope, opts = {}) {
      const size = opts.batch ?? 20_000;
      let after: string | null = null;
      for (;;) {
        const ids = await accessedSubjects(db, scope, after, size);
        if (ids.length > 0) yield ids;
        if (ids.length < size) return;
        after = ids[ids.length - 1]!;
      }
    },

    async shred(subjectId, by, reason, within) {
      const run = <T>(fn: (q: Queryable) => Promise<T>) => (within ? fn(within) : db.tx(fn));
      await run(async (q) => {
        if (!(await repo.shredSubject(q, subjectId))) {
          throw new AppError(
            (await repo.subjectKey(q, subjectId)) ? vaultErrors.subject_erased : vaultErrors.unknown_subject,
          );
        }
        await audit.append(q, {
          actor: auditActor(by),
          action: 'vault.subject_shredded',
          subject: { type: 'person', id: subjectId },
          purpose: 'erasure',
          clause: 'P8.1',
          detail: { reason },
        });
      });
    },

    people: (opts) => repo.peopleAfter(db, opts.after ?? null, opts.limit),
    knownPeople: (ids) => (ids.length === 0 ? Promise.resolve([]) : repo.knownPeople(db, ids)),

    async ownValues(subjectId) {
      const own = await repo.ownValues(db, subjectId);
      if (!own) return { subject: undefined, values: [] };
      const subject = { id: own.key.id, kind: own.kind, created_at: own.createdAt };
      // A shredded person's values can be read by nobody, themself included.
      if (!own.key.wrappedKey) return { subject, values: [] };
      const dk = await dataKey(own.key, subjectId);
      return {
        subject,
        values: own.rows.map((r) => ({
          field: r.field,
          scope: r.scope,
          value: open(dk, r.ciphertext, aad(r.field, subjectId, r.scope)).toString('utf8'),
          source: r.source,
          collected_for: r.collectedFor,
          collected_at: r.collectedAt,
          updated_at: r.updatedAt,
        })),
      };
    },

    async *accessRecords(subjectId, opts = {}) {
      // Pages of 2,000 (about 700 kB of JSON): measured faster end to end than 10,000 or 20,000,
      // whose single large values cost more to receive and to write out (bench/export-large-account).
      const size = opts.batch ?? 2000;
      // The next page is asked for before this one is handed over: the database reads it
      // while the caller writes this one out.
      let next = accessRecordsJsonAfter(db, subjectId, null, size);
      for (;;) {
        const page = await next;
        if (page.count === size) next = accessRecordsJsonAfter(db, subjectId, page.last, size);
        if (page.count > 0) yield { json: page.json, count: page.count };
        if (page.count < size) return;
      }
    },

    async recordExport(q, subjectId, e) {
      await insertAccess(q, [
        {
          subjectId,
          operation: 'export',
          actorType: 'self',
          actorId: subjectId,
          actorLabel: 'self',
          purpose: 'service-provision',
          basis: 'self',
          basisRef: { archive: e.archive },
          fields: [...e.fields],
          categories: [...e.categories],
          visibleFrom: null,
        },
      ]);
    },

    async rewrapKeys(batch = 500) {
      return untilDone(() =>
        db.tx(async (q) => {
          const rows = await repo.keysToRewrap(q, keys.activeKeyId, versionOf(keys.suite), batch);
          for (const r of rows) {
            const dk = await dataKey(r, r.id);
            const { keyId, wrapped } = await keys.wrap(dk, r.id);
            await repo.updateWrappedKey(q, r.id, keyId, wrapped);
          }
          return rows.length;
        }),
      );
    },

    async reindexValues(batch = 500) {
      return untilDone(() =>
        db.tx(async (q) => {
          const rows = await repo.lookupsToRecompute(q, lookupTokenLength(keys.suite), batch);
          const dks = new Map<string, Buffer>();
          for (const r of rows) {
            let dk = dks.get(r.subjectId);
            if (!dk) {
              dk = await dataKey({ id: r.subjectId, keyId: r.keyId, wrappedKey: r.wrappedKey }, r.subjectId);
              dks.set(r.subjectId, dk);
            }
            const plain = open(dk, r.ciphertext, aad(r.field, r.subjectId, r.scope));
            const token = keys.lookupIndex(r.field, normalise(plain.toString('utf8')), keys.suite);
            plain.fill(0);
            await repo.updateLookup(q, { ...r, token });
          }
          return rows.length;
        }),
      );
    },

    async resealValues(batch = 500) {
      return untilDone(() =>
        db.tx(async (q) => {
          const rows = await repo.valuesToReseal(q, versionOf(keys.suite), batch);
          const dks = new Map<string, Buffer>();
          for (const r of rows) {
            let dk = dks.get(r.subjectId);
            if (!dk) {
              dk = await dataKey({ id: r.subjectId, keyId: r.keyId, wrappedKey: r.wrappedKey }, r.subjectId);
              dks.set(r.subjectId, dk);
            }
            const ad = aad(r.field, r.subjectId, r.scope);
            const plain = open(dk, r.ciphertext, ad);
            await repo.updateCiphertext(q, { ...r, ciphertext: seal(dk, plain, ad, keys.suite) });
            plain.fill(0);
          }
          return rows.length;
        }),
      );
    },
  };
}

function basisRef(b: Basis): Record<string, string> {
  switch (b.type) {
    case 'consent':
      return { consentId: b.consentId };
    case 'necessity':
      return { service: b.service };
    case 'legal-obligation':
      return { authority: b.authority, reference: b.reference };
    case 'dispute':
      return { caseId: b.caseId };
    case 'safety':
      return { reason: b.reason };
    case 'self':
      return {};
  }
}

/**
 * Runs `batch` until nothing is left: a short batch is not the end, since rows another
 * transaction held were skipped (SKIP LOCKED); it stops once a few tries in a row find
 * nothing to take. Returns the rows done.
 */
async function untilDone(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let idle = 0; idle <= 5;) {
    const n = await batch();
    total += n;
    if (n > 0) idle = 0;
    else if (++idle <= 5) await sleep(20);
  }
  return total;
}

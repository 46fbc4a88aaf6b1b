/**
 * Versions of the privacy policy, their announcement and their acceptance (P9; ADR 0046).
 *
 * Rules:
 * - P9.version a version is drafted by the DPO (its texts start as the version in effect),
 *   then scheduled: its texts in zh-CN, en and cs are published with the effective date, in
 *   one transaction with the record, and never change again. Each text must parse as a
 *   policy (every section once, in order: policy.text.ts). A draft can be discarded.
 * - P9.notice a material change names what changed (sections, purposes) and a plain summary in
 *   every language, and takes effect no sooner than POLICY_NOTICE_DAYS after it is scheduled:
 *   scheduling it publishes a home-page announcement and enqueues the notice to every person
 *   (job `policy.notice`). A non-material change (a typo) takes effect as scheduled, unannounced.
 * - P9.accept a signed-in person is asked to acknowledge the version in effect once, when a
 *   material version took effect after they last accepted one (or after their account was
 *   opened); their acknowledgement is recorded per version. Consents whose purpose changed
 *   materially after they were given stop counting until the person answers again
 *   (consent.service.ts reads `reconsentDue`); the others stand.
 */
import { diffLines } from 'diff';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { locales, type Locale } from '../../kernel/locale.ts';
import type { AuditService } from '../audit/index.ts';
import { purposes } from '../inventory/index.ts';
import { policyErrors } from './policy.errors.ts';
import { parsePolicyText, POLICY_SECTIONS } from './policy.text.ts';
import { documentIds, type PolicyService } from './policy.service.ts';
import * as repo from './policy.versions.repository.ts';

export type VersionRecord = repo.VersionRow;

export interface VersionInput {
  texts: Partial<Record<Locale, string>>;
  material: boolean;
  changedSections: string[];
  changedPurposes: string[];
  summary: Partial<Record<Locale, string>>;
}

/** A material change in effect (or scheduled): what it changed, from when. */
export interface MaterialChange {
  version: string;
  effectiveFrom: Date;
  sections: string[];
  purposes: string[];
}

export interface PendingChange {
  version: string;
  effectiveFrom: Date;
  summary: Partial<Record<string, string>>;
}

type Staff = { id: string; role: string };

/** The job that tells every person of a material change (payload), `policy.notice`. */
export interface NoticeJob {
  documentId: string;
  version: string;
}
export const NOTICE_JOB = 'policy.notice';

export interface PolicyVersionsDeps {
  db: Database;
  policy: PolicyService;
  audit: Pick<AuditService, 'append'>;
  /** Publishes the home-page announcement of a material change, in the scheduling transaction. */
  announce(
    q: Queryable,
    a: { key: string; texts: Record<Locale, { title: string; text: string }>; expiresAt: Date; by: string },
  ): Promise<unknown>;
  /** When a person's account was opened (the account module). */
  openedAt(q: Queryable, subjectId: string): Promise<Date | undefined>;
  /** Days a material change is announced before it takes effect (POLICY_NOTICE_DAYS). */
  noticeDays: number;
  /** P1.2 when services' own privacy terms changed after registration (the catalogue). */
  serviceTermsChanges?: () => Promise<{ clientId: string; since: Date }[]>;
}

const DAY = 86_400_000;
const CACHE_MS = 30_000;
const POLICY = documentIds.privacyPolicy;

const refuse = (code: keyof typeof policyErrors, detail: string) => new AppError(policyErrors[code], detail);

export function createPolicyVersions(deps: PolicyVersionsDeps) {
  const { db } = deps;
  /** Where a material change's notice to every person is enqueued (the platform's job runner). */
  let enqueueNotice: ((q: Queryable, payload: NoticeJob) => Promise<unknown>) | undefined;
  let material: { at: number; changes: MaterialChange[] } | undefined;
  const changes = async (): Promise<MaterialChange[]> => {
    if (material && Date.now() - material.at < CACHE_MS) return material.changes;
    const rows = await repo.materialVersions(db, POLICY);
    material = {
      at: Date.now(),
      changes: rows.map((r) => ({
        version: r.version,
        effectiveFrom: r.effectiveFrom!,
        sections: r.changedSections,
        purposes: r.changedPurposes,
      })),
    };
    return material.changes;
  };
  let terms: { at: number; changes: { clientId: string; since: Date }[] } | undefined;
  const termsChanges = async () => {
    if (!deps.serviceTermsChanges) return [];
    if (terms && Date.now() - terms.at < CACHE_MS) return terms.changes;
    terms = { at: Date.now(), changes: await deps.serviceTermsChanges() };
    return terms.changes;
  };
  /**
   * Whether a consent of `purpose` given at `givenAt` stops counting: the latest material
   * change in effect at `now` that changed that purpose after the consent was given.
   */
  const reconsentDue = async (
    purpose: string,
    givenAt: Date,
    now = clock.date(),
  ): Promise<MaterialChange | undefined> =>
    (await changes())
      .filter((c) => c.purposes.includes(purpose) && c.effectiveFrom <= now && c.effectiveFrom > givenAt)
      .at(-1);

  const mustBeDpo = (by: Staff) => {
    if (by.role !== 'dpo') throw refuse('forbidden', by.role);
  };
  const draftOf = async (q: Queryable, version: string, lock = false) => {
    const r = await repo.version(q, POLICY, version, lock);
    if (!r) throw refuse('unknown_document', `${POLICY} ${version}`);
    return r;
  };

  const textOf = async (r: VersionRecord, language: Locale): Promise<string> =>
    r.state === 'draft'
      ? (r.draftTexts[language] ?? '')
      : ((await deps.policy.find({ documentId: POLICY, version: r.version, language }))?.text ?? '');

  return {
    useQueue(fn: (q: Queryable, payload: NoticeJob) => Promise<unknown>): void {
      enqueueNotice = fn;
    },

    list: () => repo.versions(db, POLICY),
    get: (version: string) => repo.version(db, POLICY, version),

    async draft(by: Staff, version: string): Promise<VersionRecord> {
      mustBeDpo(by);
      if (!/^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$/.test(version)) throw refuse('invalid_version', 'version');
      if (await deps.policy.find({ documentId: POLICY, version, language: 'en' }))
        throw refuse('already_published', version);
      const texts: Partial<Record<Locale, string>> = {};
      for (const l of locales) texts[l] = (await deps.policy.inEffect(POLICY, l)).text;
      await db.tx(async (q) => {
        const made = await repo.insertVersion(q, {
          documentId: POLICY,
          version,
          state: 'draft',
          material: false,
          changedSections: [],
          changedPurposes: [],
          summary: {},
          draftTexts: texts,
          createdBy: by.id,
        });
        if (!made) throw refuse('already_published', version);
        await deps.audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'policy.version_drafted',
          clause: 'P9.version',
          detail: { document: POLICY, version },
        });
      });
      return draftOf(db, version);
    },

    async save(by: Staff, version: string, input: VersionInput): Promise<VersionRecord> {
      mustBeDpo(by);
      const unknownSection = input.changedSections.find(
        (s) => !(POLICY_SECTIONS as readonly string[]).includes(s),
      );
      if (unknownSection) throw refuse('invalid_version', `changedSections: ${unknownSection}`);
      const unknownPurpose = input.changedPurposes.find((p) => !Object.hasOwn(purposes, p));
      if (unknownPurpose) throw refuse('invalid_version', `changedPurposes: ${unknownPurpose}`);
      await db.tx(async (q) => {
        const r = await draftOf(q, version, true);
        if (r.state !== 'draft') throw refuse('version_settled', version);
        await repo.updateDraft(q, {
          documentId: POLICY,
          version,
          material: input.material,
          changedSections: [...new Set(input.changedSections)],
          changedPurposes: [...new Set(input.changedPurposes)],
          summary: pick(input.summary),
          draftTexts: pick(input.texts),
        });
      });
      return draftOf(db, version);
    },

    /** The version's text against the one in effect, per line (added, removed, unchanged). */
    async diff(version: string, language: Locale) {
      const r = await draftOf(db, version);
      const current = (await deps.policy.inEffect(POLICY, language)).text;
      return diffLines(current, await textOf(r, language));
    },

    /** What stops this draft from being scheduled on `effectiveFrom`; empty when nothing does. */
    async problems(version: string, effectiveFrom: Date, now = clock.date()): Promise<string[]> {
      const r = await draftOf(db, version);
      return problemsOf(r, effectiveFrom, now, deps.noticeDays);
    },

    async schedule(by: Staff, version: string, effectiveFrom: Date): Promise<VersionRecord> {
      mustBeDpo(by);
      const now = clock.date();
      await db.tx(async (q) => {
        const r = await draftOf(q, version, true);
        if (r.state !== 'draft') throw refuse('version_settled', version);
        const problems = problemsOf(r, effectiveFrom, now, deps.noticeDays);
        if (problems.length > 0)
          throw refuse(
            problems.some((p) => p.startsWith('notice:')) ? 'notice_too_short' : 'invalid_version',
            problems.join('; '),
          );
        for (const language of locales)
          await deps.policy.publishIn(q, {
            documentId: POLICY,
            version,
            language,
            form: 'text',
            text: r.draftTexts[language]!,
            effectiveFrom,
          });
        await repo.markScheduled(q, { documentId: POLICY, version, effectiveFrom, at: now, by: by.id });
        if (r.material) {
          const texts = Object.fromEntries(
            locales.map((l) => [l, { title: announcementTitle(l, effectiveFrom), text: r.summary[l]! }]),
          ) as Record<Locale, { title: string; text: string }>;
          await deps.announce(q, {
            key: `policy:${POLICY}:${version}`,
            texts,
            expiresAt: new Date(effectiveFrom.getTime() + 30 * DAY),
            by: by.id,
          });
          if (!enqueueNotice) throw new Error('policy versions: no job queue for the notice (useQueue)');
          await enqueueNotice(q, { documentId: POLICY, version });
        }
        await deps.audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'policy.version_scheduled',
          clause: r.material ? 'P9.notice' : 'P9.version',
          detail: {
            document: POLICY,
            version,
            effectiveFrom: effectiveFrom.toISOString(),
            material: r.material,
            sections: r.changedSections,
            purposes: r.changedPurposes,
          },
        });
      });
      material = undefined;
      return draftOf(db, version);
    },

    async discard(by: Staff, version: string): Promise<void> {
      mustBeDpo(by);
      await db.tx(async (q) => {
        const r = await draftOf(q, version, true);
        if (r.state !== 'draft') throw refuse('version_settled', version);
        await repo.markDiscarded(q, POLICY, version);
        await deps.audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'policy.version_discarded',
          clause: 'P9.version',
          detail: { document: POLICY, version },
        });
      });
    },

    /** Material changes scheduled, oldest first (cached for 30 s: they change rarely). */
    materialChanges: changes,

    reconsentDue,

    /**
     * Whether a consent stops counting until the person answers again: the platform's policy
     * changed its purpose (reconsentDue), or the service it was given to changed its own
     * privacy terms after it was given (P1.2; `version` is then `service:<client>`).
     */
    async reconsentFor(
      c: { purpose: string; givenAt: Date; recipientType: string | null; recipientId: string | null },
      now = clock.date(),
    ): Promise<{ version: string } | undefined> {
      const platform = await reconsentDue(c.purpose, c.givenAt, now);
      if (platform) return { version: platform.version };
      if (c.recipientType !== 'department' || !c.recipientId) return undefined;
      const changed = (await termsChanges()).some(
        (t) => t.clientId === c.recipientId && t.since > c.givenAt && t.since <= now,
      );
      return changed ? { version: `service:${c.recipientId}` } : undefined;
    },

    /** The change a signed-in person has yet to acknowledge, if any (P9.accept). */
    async pending(subjectId: string, now = clock.date()): Promise<PendingChange | undefined> {
      const inForce = (await changes()).filter((c) => c.effectiveFrom <= now);
      if (inForce.length === 0) return undefined;
      const [last, opened] = await Promise.all([
        repo.lastAcceptance(db, subjectId, POLICY),
        deps.openedAt(db, subjectId),
      ]);
      const since = Math.max(last?.acceptedAt.getTime() ?? 0, opened?.getTime() ?? 0);
      const latest = inForce.at(-1)!;
      if (latest.effectiveFrom.getTime() <= since || last?.version === latest.version) return undefined;
      const r = await repo.version(db, POLICY, latest.version);
      return { version: latest.version, effectiveFrom: latest.effectiveFrom, summary: r?.summary ?? {} };
    },

    /** Records that the person read the version in effect; once per version. */
    async accept(subjectId: string, version: string): Promise<boolean> {
      return db.tx(async (q) => {
        const made = await repo.insertAcceptance(q, {
          subjectId,
          documentId: POLICY,
          version,
          at: clock.date(),
          how: 'acknowledged',
        });
        if (made)
          await deps.audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'policy.accepted',
            clause: 'P9.accept',
            subject: { type: 'citizen', id: subjectId },
            detail: { document: POLICY, version },
          });
        return made;
      });
    },
  };
}

export type PolicyVersions = ReturnType<typeof createPolicyVersions>;

function pick(texts: Partial<Record<Locale, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of locales) if (typeof texts[l] === 'string') out[l] = texts[l]!.replace(/\r\n/g, '\n');
  return out;
}

function problemsOf(r: VersionRecord, effectiveFrom: Date, now: Date, noticeDays: number): string[] {
  const problems: string[] = [];
  if (Number.isNaN(effectiveFrom.getTime())) return ['effectiveFrom: not a date'];
  for (const l of locales) {
    const parsed = parsePolicyText(r.draftTexts[l] ?? '');
    if (!parsed.ok) problems.push(`${l}: ${parsed.problem}`);
  }
  if (effectiveFrom.getTime() < now.getTime() - 60_000) problems.push('effectiveFrom: in the past');
  if (r.material) {
    if (r.changedSections.length === 0)
      problems.push('changedSections: a material change names what changed');
    for (const l of locales) if (!r.summary[l]?.trim()) problems.push(`summary.${l}: missing`);
    const earliest = now.getTime() + noticeDays * DAY;
    if (effectiveFrom.getTime() < earliest)
      problems.push(
        `notice: a material change takes effect ${noticeDays} days after it is announced at the earliest`,
      );
  }
  return problems;
}

const TITLES: Record<Locale, string> = {
  'zh-CN': '隐私政策将于 {date} 变更',
  en: 'Our privacy policy changes on {date}',
  cs: 'Naše zásady ochrany osobních údajů se mění {date}',
};

function announcementTitle(l: Locale, at: Date): string {
  // The date as China Standard Time reads it (the platform's time zone for people).
  const date = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return TITLES[l].replace('{date}', date);
}

/**
 * The DPO's desk of legal holds (P6.2.hold): the holds, those due for review first, a form to
 * record one, and release with a note. The rules are the holds service's (retention module);
 * this page resolves the people typed (ID numbers or mobile numbers, one per line) to their
 * accounts by the vault's blind index, and keeps what was typed when refused.
 *
 * Rules:
 * - Only the DPO (another role is told why, before any look-up).
 * - A number that matches no account is refused on its line, naming the line: the DPO learns
 *   no more than "no account", as support's look-up does.
 * - Dates are days in China: a hold ends at the end of its end day, is reviewed from the
 *   start of its review day.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../kernel/errors.ts';
import { normaliseMobile, parseIdNumber } from '../../../modules/account/index.ts';
import {
  mayRecordHolds,
  retentionErrors,
  type Holds,
  type HoldScope,
} from '../../../modules/retention/index.ts';
import type { VaultService } from '../../../modules/vault/index.ts';
import { pageContext } from '../../context.ts';
import { denied, field, refusalOf, sendPage } from '../refusal.tsx';
import { HoldsDeskPage, type HoldForm } from './view.tsx';

const CST = 8 * 3_600_000;
const DAY = 86_400_000;
/** `YYYY-MM-DD` in China: its start (review) or the start of the next day (end). */
const dayStart = (ymd: string, next = false): Date | null => {
  if (!/^\d{4}-\d\d-\d\d$/.test(ymd)) return null;
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isNaN(t) ? null : new Date(t - CST + (next ? DAY : 0));
};

export function registerHoldsDesk(app: FastifyInstance, deps: { holds: Holds; vault: VaultService }) {
  const staffOf = (req: FastifyRequest) => {
    const s = req.principal.staff!;
    return { id: s.id, role: s.role };
  };
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof HoldsDeskPage>[0]> = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      HoldsDeskPage({ ctx: pageContext(req), holds: await deps.holds.list(staffOf(req)), ...extra }),
      status,
    );

  /** Each line an ID number or a mobile number of an account; the first that is not, refused. */
  const people = async (lines: string): Promise<string[]> => {
    const out: string[] = [];
    const typed = lines
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .slice(0, 200);
    for (const [i, line] of typed.entries()) {
      const id = parseIdNumber(line);
      const phone = normaliseMobile(line);
      const found =
        'value' in id
          ? await deps.vault.findSubject('id_number', id.value)
          : phone
            ? await deps.vault.findSubject('phone', phone)
            : [];
      if (found.length !== 1) throw new AppError(retentionErrors.unknown_person, `line ${i + 1}`);
      out.push(found[0]!);
    }
    return out;
  };

  app.register(async (scope) => {
    scope.addHook('preHandler', async (req, reply) => {
      const s = req.principal.staff;
      if (s && !mayRecordHolds(s.role))
        return denied(req, reply, pageContext(req).t('admin.holds.title'), retentionErrors.forbidden);
    });

    scope.get<{ Querystring: { done?: string } }>('/admin/holds', (req, reply) =>
      page(
        req,
        reply,
        req.query.done ? { done: req.query.done === 'released' ? 'released' : 'recorded' } : {},
      ),
    );

    scope.post('/admin/holds', async (req, reply) => {
      const b = req.body;
      const typed: HoldForm = {
        scope: field(b, 'scope').slice(0, 20),
        people: field(b, 'people').slice(0, 8000),
        categories: ([] as string[])
          .concat((b as Record<string, string | string[]> | undefined)?.categories ?? [])
          .slice(0, 40),
        basis: field(b, 'basis').slice(0, 40),
        reason: field(b, 'reason').slice(0, 2001),
        authority: field(b, 'authority').slice(0, 201),
        documentRef: field(b, 'documentRef').slice(0, 201),
        caseRef: field(b, 'caseRef').slice(0, 201),
        endsOn: field(b, 'endsOn').slice(0, 10),
        reviewOn: field(b, 'reviewOn').slice(0, 10),
      };
      try {
        const subjects = typed.scope === 'category' ? [] : await people(typed.people);
        const endsAt = typed.endsOn ? dayStart(typed.endsOn, true) : null;
        const reviewAt = typed.reviewOn ? dayStart(typed.reviewOn) : null;
        if (typed.endsOn && !endsAt) throw new AppError(retentionErrors.invalid_hold, 'endsAt');
        if (typed.reviewOn && !reviewAt) throw new AppError(retentionErrors.invalid_hold, 'reviewAt');
        await deps.holds.record(
          staffOf(req),
          {
            scope: typed.scope as HoldScope,
            subjects,
            categories: typed.categories.length > 0 ? typed.categories : null,
            basis: typed.basis,
            reason: typed.reason,
            authority: typed.authority,
            documentRef: typed.documentRef,
            caseRef: typed.caseRef || null,
            endsAt,
            reviewAt,
          },
          req.id,
        );
        return await reply.redirect('/admin/holds?done=recorded', 303);
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        if (view.status >= 500) throw err;
        return page(req, reply, { form: typed, refusal: view }, view.status);
      }
    });

    scope.post<{ Params: { id: string } }>('/admin/holds/:id/release', async (req, reply) => {
      const note = field(req.body, 'note').slice(0, 2001);
      try {
        await deps.holds.release(staffOf(req), req.params.id, note, req.id);
        return await reply.redirect('/admin/holds?done=released', 303);
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        if (view.status >= 500) throw err;
        return page(req, reply, { releaseRefusal: { id: req.params.id, view, note } }, view.status);
      }
    });
  });
}

/**
 * One incident in the console (P7.2i): its record, timeline, the lifecycle steps the table
 * allows from where it is, the class (suggested, then confirmed), the scope of who was
 * affected (count first, nothing written; then freeze), and the notice with its progress.
 *
 * Every post asks the incident service once and re-renders this page with what it answered:
 * a refusal shows its reason and clause and keeps what was typed (never a 500 for bad
 * input). The scope's count is shown before anything is frozen or sent, and freezing is
 * offered only under a count of what is typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  incidentErrors,
  type IncidentService,
  type IncidentState,
  type Scope,
  type Severity,
} from '../../../modules/incident/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { consoleErrors } from '../console.errors.ts';
import { beijingInput, linesOf } from '../incidents/parts.tsx';
import { mayRead } from '../incidents/routes.ts';
import { checkForm, DeniedPage, field, fields, refusalOf, sendPage } from '../refusal.tsx';
import { IncidentPage, type Done, type IncidentView, type RecordForm, type ScopeForm } from './view.tsx';

type Params = { Params: { id: string }; Querystring: { done?: string } };
type Extra = Partial<Omit<IncidentView, 'incident' | 'timeline' | 'clock' | 'progress' | 'staffRole'>>;

const scopeForm = z.object({
  from: z.string().max(40),
  to: z.string().max(40),
  categories: z.array(z.string().max(50)).max(50),
  actors: z.string().max(20_000),
  accounts: z.string().max(2_000_000),
});
const recordForm = z.object({
  summary: z.string().max(20_000),
  cause: z.string().max(20_000),
  harm: z.string().max(20_000),
  measures: z.string().max(20_000),
  advice: z.string().max(20_000),
  contact: z.string().max(20_000),
});
const doneQuery = z.enum(['opened']).optional().catch(undefined);

/** What was typed, as typed (checked in the post: checkForm). */
const scopeFormOf = (body: unknown): ScopeForm => ({
  from: field(body, 'from'),
  to: field(body, 'to'),
  categories: fields(body, 'categories'),
  actors: field(body, 'actors'),
  accounts: field(body, 'accounts'),
});

/** The scope as the service takes it; a time that is not one is the page's own refusal. */
function scopeOf(f: ScopeForm): Scope {
  const from = beijingInput(f.from);
  const to = beijingInput(f.to);
  if (!from || !to) throw new AppError(consoleErrors.invalid_form, !from ? 'from' : 'to');
  const actors = linesOf(f.actors);
  const accounts = linesOf(f.accounts);
  return {
    from,
    to,
    ...(f.categories.length > 0 ? { categories: f.categories } : {}),
    ...(actors.length > 0 ? { actors } : {}),
    ...(accounts.length > 0 ? { accounts } : {}),
  };
}

export function registerIncidentPage(app: FastifyInstance, deps: { incident: IncidentService }) {
  const { incident } = deps;

  async function show(req: FastifyRequest<Params>, reply: FastifyReply, extra: Extra, status = 200) {
    const found = await incident.get(req.params.id);
    if (!found) {
      const ctx = pageContext(req);
      const refusal = refusalOf(new AppError(incidentErrors.unknown), ctx.locale);
      return sendPage(reply, DeniedPage({ ctx, title: refusal.title, refusal }), 404);
    }
    const progress = found.incident.noticeKey ? await incident.progress(found.incident.id) : undefined;
    const view: IncidentView = {
      ...extra,
      incident: found.incident,
      timeline: found.timeline,
      clock: incident.clock(found.incident),
      progress,
      staffRole: req.principal.staff!.role,
    };
    return sendPage(reply, IncidentPage({ ctx: pageContext(req), view }), status);
  }

  const actor = (req: FastifyRequest) => {
    const s = req.principal.staff!;
    return { id: s.id, role: s.role };
  };

  /** One post: the service call, then this page with what was done or why it was refused. */
  const post =
    (
      done: Done,
      run: (req: FastifyRequest<Params>) => Promise<Extra | void>,
      kept?: (body: unknown) => Extra,
    ) =>
    async (req: FastifyRequest<Params>, reply: FastifyReply) => {
      try {
        const extra = (await run(req)) ?? {};
        return await show(req, reply, { done, ...extra });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { refusal, ...(kept ? kept(req.body) : {}) }, refusal.status);
      }
    };

  app.register(async (scope) => {
    scope.addHook('preHandler', mayRead('admin.incidents.title'));

    scope.get<Params>('/admin/incidents/:id', (req, reply) => {
      const done = doneQuery.parse(req.query?.done);
      return show(req, reply, done ? { done } : {});
    });

    scope.post<Params>(
      '/admin/incidents/:id/advance',
      post('advanced', async (req) => {
        await incident.advance(
          actor(req),
          req.params.id,
          field(req.body, 'to') as IncidentState,
          field(req.body, 'note') || null,
        );
      }),
    );

    scope.post<Params>(
      '/admin/incidents/:id/reopen',
      post(
        'reopened',
        async (req) => {
          await incident.reopen(actor(req), req.params.id, field(req.body, 'note'));
        },
        (body) => ({ reopenNote: field(body, 'note').slice(0, 2000) }),
      ),
    );

    const recordOf = (body: unknown): RecordForm => ({
      summary: field(body, 'summary'),
      cause: field(body, 'cause'),
      harm: field(body, 'harm'),
      measures: field(body, 'measures'),
      advice: field(body, 'advice'),
      contact: field(body, 'contact'),
    });
    scope.post<Params>(
      '/admin/incidents/:id/update',
      post(
        'updated',
        async (req) => {
          const f = checkForm(recordForm, recordOf(req.body));
          // An emptied field is cleared (null), except the summary, which the service requires.
          const or = (v: string) => (v.trim() === '' ? null : v);
          await incident.update(actor(req), req.params.id, {
            summary: f.summary,
            cause: or(f.cause),
            harm: or(f.harm),
            measures: or(f.measures),
            advice: or(f.advice),
            contact: or(f.contact),
          });
        },
        (body) => ({ record: recordOf(body) }),
      ),
    );

    scope.post<Params>(
      '/admin/incidents/:id/severity',
      post('confirmed', async (req) => {
        await incident.confirmSeverity(actor(req), req.params.id, field(req.body, 'severity') as Severity);
      }),
    );

    scope.post<Params>(
      '/admin/incidents/:id/count',
      post(
        'counted',
        async (req) => {
          const f = checkForm(scopeForm, scopeFormOf(req.body));
          const counted = await incident.previewAudience(actor(req), req.params.id, scopeOf(f));
          return { counted, scope: f };
        },
        (body) => ({ scope: scopeFormOf(body) }),
      ),
    );

    scope.post<Params>(
      '/admin/incidents/:id/freeze',
      post(
        'frozen',
        async (req) => {
          await incident.freezeAudience(
            actor(req),
            req.params.id,
            scopeOf(checkForm(scopeForm, scopeFormOf(req.body))),
          );
        },
        (body) => ({ scope: scopeFormOf(body) }),
      ),
    );

    scope.post<Params>(
      '/admin/incidents/:id/send',
      post('sent', async (req) => {
        const { queued } = await incident.send(actor(req), req.params.id);
        return { queued };
      }),
    );
  });
}

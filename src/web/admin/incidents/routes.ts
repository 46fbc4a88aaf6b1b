/**
 * The console's incident list and the form that opens one (P7.2i.record). The rules are the
 * incident service's (only the security officer changes an incident, the DPO reads); the
 * page checks reading first so another role reads why, and a refused form re-renders with
 * the reason and what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  incidentErrors,
  mayReadIncidents,
  type IncidentService,
  type OperatorType,
} from '../../../modules/incident/index.ts';
import { pageContext } from '../../context.ts';
import { checkForm, denied, field, fields, refusalOf, sendPage, type RefusalView } from '../refusal.tsx';
import { beijingInput, linesOf } from './parts.tsx';
import { IncidentsPage, type OpenForm } from './view.tsx';

const openForm = z.object({
  title: z.string().max(1000),
  summary: z.string().max(20_000),
  detectedAt: z.string().max(40),
  systems: z.string().max(20_000),
  categories: z.array(z.string().max(50)).max(50),
  cause: z.string().max(20_000),
  operatorType: z.string().max(20),
  drill: z.boolean(),
});

/** What was typed, as typed (checked inside the post: checkForm). */
const formOf = (body: unknown): OpenForm => ({
  title: field(body, 'title'),
  summary: field(body, 'summary'),
  detectedAt: field(body, 'detectedAt'),
  systems: field(body, 'systems'),
  categories: fields(body, 'categories'),
  cause: field(body, 'cause'),
  operatorType: field(body, 'operatorType'),
  drill: field(body, 'drill') === 'yes',
});

/** The officer's route guard: reading is the DPO's too; changing is the service's check. */
export const mayRead =
  (title: 'admin.incidents.title' | 'admin.report.title') =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    const s = req.principal.staff;
    if (s && !mayReadIncidents(s.role))
      return denied(req, reply, pageContext(req).t(title), incidentErrors.not_allowed);
  };

export function registerIncidentList(app: FastifyInstance, deps: { incident: IncidentService }) {
  const { incident } = deps;
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    view: { form?: OpenForm; refusal?: RefusalView },
    status = 200,
  ) => {
    const list = await incident.list();
    return sendPage(
      reply,
      IncidentsPage({
        ctx: pageContext(req),
        view: {
          ...view,
          staffRole: req.principal.staff!.role,
          incidents: list.map((i) => ({ incident: i, clock: incident.clock(i) })),
        },
      }),
      status,
    );
  };

  app.register(async (scope) => {
    scope.addHook('preHandler', mayRead('admin.incidents.title'));

    scope.get('/admin/incidents', (req, reply) => show(req, reply, {}));

    scope.post('/admin/incidents', async (req, reply) => {
      const typed = formOf(req.body);
      const s = req.principal.staff!;
      try {
        const form = checkForm(openForm, typed);
        // An unreadable time is refused by the service as `detectedAt`, like an empty one.
        const opened = await incident.open(
          { id: s.id, role: s.role },
          {
            title: form.title,
            summary: form.summary,
            detectedAt: beijingInput(form.detectedAt) ?? new Date(Number.NaN),
            systems: linesOf(form.systems),
            categories: form.categories,
            cause: form.cause || null,
            operatorType: form.operatorType as OperatorType,
            drill: form.drill,
          },
        );
        return await reply.redirect(`/admin/incidents/${opened.id}?done=opened`, 303);
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form: typed, refusal }, refusal.status);
      }
    });
  });
}

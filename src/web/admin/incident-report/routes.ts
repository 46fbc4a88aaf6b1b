/**
 * The report of an incident to the cyberspace authority (P7.2i.report): the Chinese text the
 * incident service generates from the record, to copy into the authority's form, and the
 * form that records its submission (channel, receipt number; who and when come from the
 * session and the clock). Recording moves the incident to `reported` and stops its clock.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { incidentErrors, type IncidentService } from '../../../modules/incident/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { mayRead } from '../incidents/routes.ts';
import { checkForm, DeniedPage, field, refusalOf, sendPage, type RefusalView } from '../refusal.tsx';
import { ReportPage, type SubmissionForm } from './view.tsx';

type Params = { Params: { id: string } };

const submission = z.object({ channel: z.string().max(1000), reference: z.string().max(1000) });

export function registerIncidentReport(app: FastifyInstance, deps: { incident: IncidentService }) {
  const { incident } = deps;

  async function show(
    req: FastifyRequest<Params>,
    reply: FastifyReply,
    extra: { form?: SubmissionForm; refusal?: RefusalView; submitted?: boolean },
    status = 200,
  ) {
    const ctx = pageContext(req);
    const found = await incident.get(req.params.id);
    if (!found) {
      const refusal = refusalOf(new AppError(incidentErrors.unknown), ctx.locale);
      return sendPage(reply, DeniedPage({ ctx, title: refusal.title, refusal }), 404);
    }
    const report = await incident.report(found.incident.id);
    const view = {
      ...extra,
      incident: found.incident,
      timeline: found.timeline,
      clock: incident.clock(found.incident),
      report,
      staffRole: req.principal.staff!.role,
    };
    return sendPage(reply, ReportPage({ ctx, view }), status);
  }

  app.register(async (scope) => {
    scope.addHook('preHandler', mayRead('admin.report.title'));

    scope.get<Params>('/admin/incidents/:id/report', (req, reply) => show(req, reply, {}));

    scope.post<Params>('/admin/incidents/:id/report', async (req, reply) => {
      const form = { channel: field(req.body, 'channel'), reference: field(req.body, 'reference') };
      const s = req.principal.staff!;
      try {
        const checked = checkForm(submission, form);
        await incident.submitReport({ id: s.id, role: s.role }, req.params.id, {
          channel: checked.channel,
          reference: checked.reference.trim() === '' ? null : checked.reference,
        });
        return await show(req, reply, { submitted: true });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form, refusal }, refusal.status);
      }
    });
  });
}

/**
 * Personalisation's routes (P4, P3.2.optional, P2.2.1; ADR 0047).
 *
 * Rules:
 * - P3.2.optional every route records only when the request's cookie choice consents to
 *   personalisation (state.ts); without it they record nothing and change nothing.
 * - `GET /services/:slug/start` is how the home page links a service when (and only when) the
 *   person consents: it records the use and sends them to the address the department
 *   registered (http(s) only, relying-party.ts); an unknown service or one without an
 *   address is a 404. Without consent the home page links the department directly.
 * - A single sign-on interaction names the service it signs in to (`req.personalService`),
 *   recorded once the answer is sent.
 * - P2.2.1 the hall form takes a city from the list, or a place `geo:<lat>,<lon>` that the
 *   browser adds only after the person ticks the box (static/location.js, as on sign-in);
 *   it is rounded to whole degrees here and used once: only the hall found is kept.
 * - Forms are validated by zod; a refusal shows the home page again with the error tied to
 *   its field and the city chosen kept.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Personalisation } from '../../../modules/personal/index.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { pageContext } from '../../context.ts';
import { renderHome, type HomeDeps } from '../home/routes.ts';
import { consents, keep } from './state.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The service a single sign-on interaction signs the person in to (its slug). */
    personalService?: string;
  }
}

const slug = z.string().regex(/^[a-z0-9-]{1,80}$/);
const favouriteForm = z.object({ service: slug, on: z.enum(['0', '1']) });
const hallForm = z.object({
  city: z.union([z.literal(''), z.string().regex(/^[a-z0-9-]{1,60}$/)]).optional(),
  place: z.union([z.literal(''), z.string().regex(/^geo:-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/)]).optional(),
});

export function installPersonalRecording(
  app: FastifyInstance,
  deps: { personal: Personalisation; http: HttpPolicy },
): void {
  app.decorateRequest('personalService', undefined);
  app.addHook('onResponse', async (req: FastifyRequest, reply) => {
    const service = req.personalService;
    const subjectId = req.principal?.citizen?.subjectId;
    if (!service || !subjectId || reply.statusCode >= 400 || !consents(req)) return;
    await deps.personal.used(subjectId, service).catch((err: unknown) => {
      req.log.warn({ err: (err as Error).name }, 'a recent service was not recorded');
    });
  });
}

export function registerPersonalPages(app: FastifyInstance, deps: HomeDeps): void {
  const serviceExists = async (s: string) =>
    (await deps.catalogue.list()).some((d) => d.services.some((x) => x.slug === s));

  app.get<{ Params: { slug: string } }>('/services/:slug/start', async (req, reply) => {
    const parsed = slug.safeParse(req.params.slug);
    const rp = parsed.success
      ? (await deps.registry?.list())?.find((r) => r.serviceSlug === parsed.data)
      : undefined;
    const home = rp?.homeUri;
    if (!rp || !home || !/^https?:\/\//.test(home)) return reply.callNotFound();
    await keep(req, reply, deps, { used: rp.serviceSlug });
    return reply.header('referrer-policy', 'no-referrer').redirect(home, 303);
  });

  app.post('/personal/favourite', async (req, reply) => {
    const form = favouriteForm.safeParse(req.body ?? {});
    if (!form.success || !(await serviceExists(form.data.service))) {
      const message = pageContext(req).t('forms.summary.title');
      return renderHome(req, reply, deps, { errors: [{ field: 'your-services', message }] }, 400);
    }
    await keep(req, reply, deps, { favourite: { slug: form.data.service, on: form.data.on === '1' } });
    return reply.redirect(consents(req) ? '/#your-services-title' : '/', 303);
  });

  app.post('/personal/hall', async (req, reply) => {
    const form = hallForm.safeParse(req.body ?? {});
    const city = form.success ? form.data.city || undefined : undefined;
    const place = form.success ? form.data.place || undefined : undefined;
    const [lat, lon] = place ? place.slice(4).split(',').map(Number) : [];
    const found =
      city || lat !== undefined
        ? await deps.personal.nearest(city ? { city } : { lat: lat!, lon: lon! })
        : undefined;
    if (!found) {
      const message = pageContext(req).t('personal.hall.missing');
      return renderHome(
        req,
        reply,
        deps,
        { errors: [{ field: 'hall-city', message }], kept: city ? { city } : {} },
        400,
      );
    }
    await keep(req, reply, deps, { hall: { slug: found.hall.slug, by: found.by } });
    return reply.redirect(consents(req) ? '/#hall-title' : '/', 303);
  });
}

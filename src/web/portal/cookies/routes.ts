/**
 * /cookies: the choice and the list of every cookie (P3.2, P3.3). GET shows it; POST records
 * a choice from the banner (accept all / refuse all) or from this page (each category).
 *
 * Rules:
 * - P3.3.manage reachable from every page's footer, changeable at any time; refusing is
 *   one button, the same as accepting (banner and page).
 * - Works without script: plain forms; the cross-site guard refuses another site's post
 *   (guards.table.ts), and `next` passes the one redirect guard (return-address.ts).
 * - zod at the edge: an unknown `choice` is answered with the page again (400), the boxes
 *   as they were ticked, and an error summary.
 * - The choice is stored by cookie-choice.ts: the necessary cookie, and a signed-in person's
 *   consent records.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { pageContext } from '../../context.ts';
import type { CookieChoices } from '../../http/cookie-choice.ts';
import { nextOf, withNext } from '../../http/return-address.ts';
import { localeOf } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { CookiesPage } from './view.tsx';

const sendPage = async (reply: FastifyReply, page: unknown, status = 200) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(await renderPage(page));

const Choice = z.object({
  choice: z.enum(['all', 'none', 'custom']),
  from: z.enum(['banner', 'page']).optional(),
  analytics: z.literal('on').optional(),
  personalisation: z.literal('on').optional(),
});

export function registerCookiePages(app: FastifyInstance, deps: { choices: CookieChoices }) {
  app.get<{ Querystring: { saved?: string } }>('/cookies', async (req, reply) => {
    const c = req.cookieChoice;
    return sendPage(
      reply,
      CookiesPage({
        ctx: pageContext(req),
        form: { analytics: c?.analytics ?? false, personalisation: c?.personalisation ?? false },
        made: c?.made ?? false,
        signedIn: !!req.principal.citizen,
        saved: req.query.saved === '1',
        next: nextOf(req),
        texts: await deps.choices.texts(localeOf(req)),
      }),
    );
  });

  app.post('/cookies', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = Choice.safeParse(body);
    const next = nextOf(req);
    if (!parsed.success) {
      const ctx = pageContext(req);
      return sendPage(
        reply,
        CookiesPage({
          ctx,
          form: { analytics: body.analytics === 'on', personalisation: body.personalisation === 'on' },
          made: req.cookieChoice?.made ?? false,
          signedIn: !!req.principal.citizen,
          saved: false,
          next,
          texts: await deps.choices.texts(ctx.locale),
          errors: [{ field: 'analytics', message: ctx.t('cookies.error.choice') }],
        }),
        400,
      );
    }
    const { choice, from } = parsed.data;
    const answer =
      choice === 'custom'
        ? { analytics: !!parsed.data.analytics, personalisation: !!parsed.data.personalisation }
        : { analytics: choice === 'all', personalisation: choice === 'all' };
    await deps.choices.choose(req, reply, answer);
    // From the banner: back to the page it was on. From this page: the page, saying so.
    if (from === 'banner' && next) return reply.redirect(next, 303);
    return reply.redirect(withNext('/cookies?saved=1', next), 303);
  });
}

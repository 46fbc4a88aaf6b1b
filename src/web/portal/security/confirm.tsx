/**
 * The second step of a destructive button, without JavaScript (issue 12, group 7).
 *
 * Rules:
 * - The first POST changes nothing: it answers "Are you sure?", what will happen, and a
 *   form that posts the same address again with `confirm=1`; only that second POST acts.
 * - Both POSTs pass the route's own guards (sign-in, cross-site refusal): the page adds
 *   no way round them, and "No, go back" is a plain link.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Layout, renderPage, type PageContext } from '../../layout.tsx';

export interface Confirmation {
  title: string;
  /** What happens, in plain words. */
  effect: string;
  /** What it applies to (a device, a passkey's name), if one of several. */
  subject?: string | undefined;
  confirm: string;
  back: string;
}

export function ConfirmPage(props: { ctx: PageContext; action: string; c: Confirmation }) {
  const { t } = props.ctx;
  const c = props.c;
  return (
    <Layout ctx={props.ctx} title={c.title} area="portal">
      <h1>{c.title}</h1>
      {c.subject ? (
        <p>
          <strong data-confirm-subject>{c.subject}</strong>
        </p>
      ) : null}
      <p id="confirm-effect">{c.effect}</p>
      <form method="post" action={props.action} class="stack">
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class="danger" aria-describedby="confirm-effect">
          {c.confirm}
        </button>
      </form>
      <p>
        <a href={c.back}>{t('confirm.cancel')}</a>
      </p>
    </Layout>
  );
}

/** Whether this POST is the confirming one. */
export const confirmed = (req: FastifyRequest) =>
  ((req.body as Record<string, unknown> | undefined)?.confirm ?? '') === '1';

/** Answers the "Are you sure?" page for the request's own address. */
export async function askToConfirm(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: PageContext,
  c: Confirmation,
): Promise<FastifyReply> {
  // The language switch returns to a GET address: this page's own is a POST's.
  const body = await renderPage(ConfirmPage({ ctx: { ...ctx, path: c.back }, action: req.url, c }));
  return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

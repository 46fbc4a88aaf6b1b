/**
 * What the console's pages share: a refusal as staff read it (the catalogue's title in their
 * language, the clause it enforces and the stable code they quote, both in `<code>` since
 * they are references, not prose), the page for a role that may not, and times in China
 * Standard Time (the reference time of the reports staff file).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, errorSpec } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import { pageContext } from '../context.ts';
import { consoleErrors } from './console.errors.ts';
import { Layout, renderPage, type PageContext } from '../layout.tsx';

export interface RefusalView {
  status: number;
  code: string;
  title: string;
  clause?: string | undefined;
  /** What the service said beyond the title, when it is a value staff can read (a date, a field). */
  detail?: string | undefined;
}

/** A domain refusal for a page; anything else (a fault, not bad input) is rethrown. */
export function refusalOf(err: unknown, locale: Locale): RefusalView {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const spec = errorSpec(err.code);
  return {
    status: err.status,
    code: err.code,
    title: spec.title[locale],
    clause: err.clause,
    detail: err.detail && err.detail !== spec.title.en ? err.detail : undefined,
  };
}

/** The refusal of one code, without an error thrown (a role check of the page itself). */
export function refusalFor(code: string, locale: Locale): RefusalView {
  const spec = errorSpec(code);
  return { status: spec.status, code, title: spec.title[locale], clause: spec.clause };
}

export function Refusal(props: { ctx: PageContext; refusal: RefusalView | undefined; id?: string }) {
  const r = props.refusal;
  if (!r) return null;
  const { t } = props.ctx;
  return (
    <div class="error" role="alert" id={props.id ?? 'refusal'}>
      <p>{r.title}</p>
      <p class="muted">
        {r.clause ? (
          <>
            {t('console.clause')}: <code>{r.clause}</code>{' '}
          </>
        ) : null}
        {t('console.code')}: <code>{r.code}</code>
      </p>
    </div>
  );
}

/** The page a role that may not use a console page gets: why, and the way back. */
export function DeniedPage(props: { ctx: PageContext; title: string; refusal: RefusalView }) {
  return (
    <Layout ctx={props.ctx} title={props.title} area="admin">
      <h1>{props.title}</h1>
      <Refusal ctx={props.ctx} refusal={props.refusal} />
      <p>
        <a href="/admin">{props.ctx.t('console.back')}</a>
      </p>
    </Layout>
  );
}

export async function sendPage(reply: FastifyReply, page: unknown, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(await renderPage(page));
}

export const denied = (req: FastifyRequest, reply: FastifyReply, title: string, code: string) => {
  const ctx = pageContext(req);
  const refusal = refusalFor(code, ctx.locale);
  return sendPage(reply, DeniedPage({ ctx, title, refusal }), refusal.status);
};

/** A date and time as staff read it, in China Standard Time. */
export const timeIn = (locale: Locale) => (d: Date) =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(d);

/** A form field as one string (repeated keys arrive as arrays: the first one counts). */
export const field = (body: unknown, key: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : '';
};

/** A repeated form field (checkboxes) as a list. */
export const fields = (body: unknown, key: string): string[] => {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
};

/**
 * A console form checked at the edge, inside the page's try: a field too long or of the wrong
 * kind is the page's own refusal (400 `console.invalid_form`, naming the field), shown with
 * what was typed (the caller keeps the raw form), never a 500.
 */
export function checkForm<T>(schema: z.ZodType<T>, raw: T): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new AppError(consoleErrors.invalid_form, String(r.error.issues[0]?.path[0] ?? ''));
}

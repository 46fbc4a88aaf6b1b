/**
 * Every error leaves as RFC 9457 problem details (`application/problem+json`) on the API,
 * or as a readable page for a browser. A refusal names its stable code and, where it
 * comes from the privacy policy, the clause.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorSpec, httpErrors } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';

export interface ErrorPageRenderer {
  (
    req: FastifyRequest,
    reply: FastifyReply,
    problem: { status: number; title: string; code: string; clause?: string },
  ): Promise<string>;
}

function wantsHtml(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** Maps what Fastify itself throws (parsing, limits) onto our catalogue. */
function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError(httpErrors.payload_too_large);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError(httpErrors.unsupported_media_type);
  if (err.statusCode === 429) return new AppError(httpErrors.rate_limited);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError(httpErrors.invalid_request, err.message);
  }
  return new AppError(httpErrors.internal);
}

export function installProblemHandlers(
  app: FastifyInstance,
  localeOf: (req: FastifyRequest) => Locale,
  renderPage: ErrorPageRenderer,
): void {
  const send = async (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
    const locale = localeOf(req);
    const title = errorSpec(e.code).title[locale];
    const detail = e.status >= 500 ? undefined : e.detail;
    if (wantsHtml(req)) {
      reply.code(e.status).type('text/html; charset=utf-8');
      return renderPage(req, reply, {
        status: e.status,
        title,
        code: e.code,
        ...(e.clause ? { clause: e.clause } : {}),
      });
    }
    reply.code(e.status).type('application/problem+json');
    return {
      type: `/docs/errors#${e.code}`,
      title,
      status: e.status,
      code: e.code,
      ...(detail ? { detail } : {}),
      ...(e.clause ? { clause: e.clause } : {}),
      ...(e.fields ? { errors: e.fields } : {}),
      instance: req.url.split('?')[0],
      requestId: req.id,
    };
  };

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const e = toAppError(err);
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: e.code }, 'request refused');
    return send(req, reply, e);
  });
  app.setNotFoundHandler(async (req, reply) => send(req, reply, new AppError(httpErrors.not_found)));
}

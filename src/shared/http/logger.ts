/** Fastify/pino logger options: see kernel/log/redact.ts for what is kept out and why. */
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import { redactText, redactValue } from '../../kernel/log/redact.ts';

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        // The route pattern where one matched, else the path; never the query string.
        url: req.routeOptions?.url ?? redactText((req.url ?? '').split('?')[0] ?? ''),
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: string; statusCode?: number }) => ({
        type: err.name,
        code: err.code,
        statusCode: err.statusCode,
        message: redactText(err.message ?? ''),
        stack: redactText(err.stack ?? ''),
      }),
    },
    formatters: {
      // pino runs this before the serializers: leave their inputs to them (they redact).
      log: (obj) =>
        Object.fromEntries(
          Object.entries(obj).map(([k, v]) => [
            k,
            k === 'req' || k === 'res' || k === 'err' ? v : redactValue(v),
          ]),
        ),
    },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args;
        method.apply(this, clean);
      },
    },
  };
}

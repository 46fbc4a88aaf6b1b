/**
 * JSON API routes declared with zod schemas. The same schemas validate the request,
 * filter the response (an allow-list: a field not in the response schema never leaves)
 * and produce the OpenAPI 3.1 document at /api/openapi.json.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AppError,
  errorCatalogue,
  fieldProblems,
  httpErrors,
  type FieldProblem,
} from '../../kernel/errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute<P, Q, B, S extends z.ZodType> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Parsed (not just checked) on the way out: the handler returns its input type. */
  response: S;
  status?: number;
  /** Error codes this route may answer with (documented in OpenAPI). */
  errors?: string[];
  preHandler?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  handler: (input: {
    params: P;
    query: Q;
    body: B;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<z.input<S>>;
}

export class Api {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous route list; each entry was type-checked at register()
  private readonly routes: ApiRoute<any, any, any, any>[] = [];

  register<P = unknown, Q = unknown, B = unknown, S extends z.ZodType = z.ZodType>(
    app: FastifyInstance,
    route: ApiRoute<P, Q, B, S>,
  ): void {
    this.routes.push(route);
    app.route({
      method: route.method,
      url: route.url,
      ...(route.preHandler ? { preHandler: route.preHandler } : {}),
      handler: async (req, reply) => {
        const problems: FieldProblem[] = [];
        const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
          if (!schema) return undefined as T;
          const r = schema.safeParse(value);
          if (r.success) return r.data;
          problems.push(...fieldProblems(r.error, where));
          return undefined as T;
        };
        const params = parse(route.params, req.params, 'params');
        const query = parse(route.query, req.query, 'query');
        const body = parse(route.body, req.body, 'body');
        if (problems.length > 0)
          throw new AppError(httpErrors.invalid_request, 'See `errors` for each field.', problems);
        const result = await route.handler({ params, query, body, req, reply });
        // Parse, not just check: strips every key the schema does not name.
        const out = route.response.parse(result);
        // A handler may have chosen another status (e.g. /readyz answering 503).
        if (reply.statusCode === 200) reply.code(route.status ?? 200);
        reply.type('application/json');
        return out;
      },
    });
  }

  openapi(info: { title: string; version: string; description: string }): object {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (s: z.ZodType, io: 'input' | 'output') =>
      z.toJSONSchema(s, { io, unrepresentable: 'any' });
    for (const r of this.routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const parameters: unknown[] = [];
      for (const [where, s] of [
        ['path', r.params],
        ['query', r.query],
      ] as const) {
        if (!s) continue;
        const js = schema(s, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, p] of Object.entries(js.properties ?? {})) {
          parameters.push({
            name,
            in: where,
            required: where === 'path' || !!js.required?.includes(name),
            schema: p,
          });
        }
      }
      const responses: Record<string, unknown> = {
        [String(r.status ?? 200)]: {
          description: 'Success',
          content: { 'application/json': { schema: schema(r.response, 'output') } },
        },
      };
      for (const code of r.errors ?? []) {
        const spec = errorCatalogue().find((e) => e.code === code);
        if (!spec) throw new Error(`route ${r.url} names unknown error ${code}`);
        const key = String(spec.status);
        const prior = responses[key] as { description: string } | undefined;
        responses[key] = {
          description: prior ? `${prior.description}; ${code}` : code,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      (paths[path] ??= {})[r.method.toLowerCase()] = {
        summary: r.summary,
        tags: r.tags,
        ...(parameters.length ? { parameters } : {}),
        ...(r.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: schema(r.body, 'input') } },
              },
            }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        schemas: {
          Problem: {
            type: 'object',
            description: 'RFC 9457 problem details. `code` is stable; see docs/errors.md.',
            required: ['type', 'title', 'status', 'code'],
            properties: {
              type: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'integer' },
              detail: { type: 'string' },
              instance: { type: 'string' },
              code: { type: 'string' },
              clause: { type: 'string', description: 'Privacy-policy clause behind a refusal' },
              requestId: { type: 'string' },
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { path: { type: 'string' }, message: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    };
  }
}

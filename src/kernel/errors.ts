/**
 * One error class for the whole platform, and the catalogue of stable codes.
 *
 * Each module declares its codes with `defineErrors` in its own `*.errors.ts`; the
 * catalogue collects them so `docs/errors.md` and translated problem titles come from
 * one place. A code never changes meaning once released; retire it instead.
 */
import type { z } from 'zod';
import type { Locale } from './locale.ts';

export interface ErrorSpec {
  status: number;
  /** Policy clause this refusal enforces, e.g. 'P5.1.1'. */
  clause?: string;
  title: Record<Locale, string>;
}

const catalogue = new Map<string, ErrorSpec & { code: string }>();

export function defineErrors<const T extends Record<string, ErrorSpec>>(
  module: string,
  specs: T,
): { [K in keyof T & string]: `${string}.${K}` } {
  const codes: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const code = `${module}.${name}`;
    if (catalogue.has(code)) throw new Error(`error code ${code} defined twice`);
    catalogue.set(code, { ...spec, code });
    codes[name] = code;
  }
  return codes as { [K in keyof T & string]: `${string}.${K}` };
}

export function errorCatalogue(): (ErrorSpec & { code: string })[] {
  return [...catalogue.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function errorSpec(code: string): ErrorSpec & { code: string } {
  const spec = catalogue.get(code);
  if (!spec) throw new Error(`unknown error code ${code}`);
  return spec;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** A zod error as field problems (a problem+json answer's `errors`); `where` prefixes each path. */
export function fieldProblems(error: z.ZodError, where?: string): FieldProblem[] {
  return error.issues.map((i) => ({
    path: [...(where ? [where] : []), ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

export class AppError extends Error {
  readonly status: number;
  readonly clause: string | undefined;
  constructor(
    readonly code: string,
    /** Detail for the caller. Never personal data: it is returned and may be logged. */
    readonly detail?: string,
    readonly fields?: FieldProblem[],
  ) {
    const spec = errorSpec(code);
    super(detail ?? spec.title.en);
    this.name = 'AppError';
    this.status = spec.status;
    this.clause = spec.clause;
  }
}

/** Codes of the HTTP plumbing itself. */
export const httpErrors = defineErrors('http', {
  invalid_request: {
    status: 400,
    title: { en: 'The request is not valid', 'zh-CN': '请求无效', cs: 'Požadavek není platný' },
  },
  not_found: {
    status: 404,
    title: { en: 'Not found', 'zh-CN': '未找到', cs: 'Nenalezeno' },
  },
  method_not_allowed: {
    status: 405,
    title: { en: 'Method not allowed', 'zh-CN': '不允许的请求方法', cs: 'Metoda není povolena' },
  },
  payload_too_large: {
    status: 413,
    title: { en: 'Request body too large', 'zh-CN': '请求内容过大', cs: 'Tělo požadavku je příliš velké' },
  },
  unsupported_media_type: {
    status: 415,
    title: { en: 'Unsupported media type', 'zh-CN': '不支持的内容类型', cs: 'Nepodporovaný typ obsahu' },
  },
  rate_limited: {
    status: 429,
    title: {
      en: 'Too many requests, try again later',
      'zh-CN': '请求过于频繁，请稍后再试',
      cs: 'Příliš mnoho požadavků, zkuste to později',
    },
  },
  cross_site: {
    status: 403,
    title: {
      en: 'Cross-site form submission refused',
      'zh-CN': '已拒绝跨站表单提交',
      cs: 'Odeslání formuláře z cizího webu odmítnuto',
    },
  },
  unauthenticated: {
    status: 401,
    title: { en: 'Sign-in required', 'zh-CN': '需要登录', cs: 'Je nutné přihlášení' },
  },
  forbidden: {
    status: 403,
    title: {
      en: 'Not allowed for your role',
      'zh-CN': '您的角色无权执行此操作',
      cs: 'Vaše role to nedovoluje',
    },
  },
  unavailable: {
    status: 503,
    title: { en: 'Service unavailable', 'zh-CN': '服务暂不可用', cs: 'Služba není dostupná' },
  },
  internal: {
    status: 500,
    title: { en: 'Internal error', 'zh-CN': '内部错误', cs: 'Vnitřní chyba' },
  },
});

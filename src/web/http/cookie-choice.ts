/**
 * The cookie choice of a request (P3.2, P3.3; ADR 0045): which optional cookie categories
 * (analytics, personalisation) the visitor consents to, resolved once per request and handed
 * to the cookie registry, whose `set` refuses every other category.
 *
 * Rules:
 * - P3.2.necessary no choice made (or a choice from an older version of the question,
 *   `CHOICE_VERSION`) consents to nothing optional, and the banner asks.
 * - An anonymous visitor's choice lives in the necessary cookie `choice` (version, the two
 *   answers, when). A signed-in person's lives in their consent records (consent module; the
 *   purposes `analytics-cookies` and `personalisation-cookies`, each on its policy document),
 *   so it follows them to every browser and appears in their export.
 * - Reconciled on every signed-in request (so at sign-in, whichever way the person signed in):
 *   a choice made in this browser that differs from the account's and is newer than the
 *   account's last consent change for these purposes is recorded to the account; otherwise
 *   the account governs and the browser's cookie is rewritten to match.
 * - P3.3.manage refusing clears the optional cookies the browser still sends; a withdrawal
 *   on /me/consents is newer than the browser's cookie, so it governs the next request.
 * - A failed look-up or record never fails the page: the request then consents to nothing
 *   optional (logged without personal data).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clock } from '../../kernel/clock.ts';
import type { Locale } from '../../kernel/locale.ts';
import { isActive, type ConsentRecord, type ConsentService } from '../../modules/consent/index.ts';
import type { PurposeId } from '../../modules/inventory/index.ts';
import type { PolicyService } from '../../modules/policy/index.ts';
import {
  cookies,
  optionalCategories,
  permitCookies,
  type HttpPolicy,
  type OptionalCategory,
} from './cookies.ts';
import { localeOf } from '../i18n/index.ts';

/** Raise when the categories or what they do change: every visitor is asked again. */
export const CHOICE_VERSION = 1;

/** The consent purpose and the policy document (its text is what the person is shown) per category. */
export const cookiePurposes: Readonly<Record<OptionalCategory, { purpose: PurposeId; document: string }>> = {
  analytics: { purpose: 'analytics-cookies', document: 'cookie-analytics' },
  personalisation: { purpose: 'personalisation-cookies', document: 'cookie-personalisation' },
};

export interface CookieChoice {
  readonly analytics: boolean;
  readonly personalisation: boolean;
  /** When it was made (ms since the epoch). */
  readonly at: number;
}

export interface RequestCookieChoice {
  /** False: no current choice, the banner asks. */
  made: boolean;
  analytics: boolean;
  personalisation: boolean;
  /** Where it came from: this browser's cookie, or the person's consent records. */
  source: 'none' | 'browser' | 'account';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `installCookieChoice` on every request it resolves. */
    cookieChoice?: RequestCookieChoice;
    /** The banner's texts, set for a page request that has no choice yet (the banner asks). */
    cookieBanner?: Record<OptionalCategory, string>;
  }
}

const NONE: RequestCookieChoice = { made: false, analytics: false, personalisation: false, source: 'none' };

/** `<version>.<analytics><personalisation>.<epoch seconds>`, e.g. `1.10.1767225600`. */
export function formatChoice(c: CookieChoice): string {
  return `${CHOICE_VERSION}.${c.analytics ? 1 : 0}${c.personalisation ? 1 : 0}.${Math.floor(c.at / 1000)}`;
}

/** The browser's choice; undefined when absent, malformed or from an older version. */
export function parseChoice(value: string | undefined): CookieChoice | undefined {
  const m = value ? /^(\d{1,4})\.([01])([01])\.(\d{1,12})$/.exec(value) : null;
  if (!m || Number(m[1]) !== CHOICE_VERSION) return undefined;
  return { analytics: m[2] === '1', personalisation: m[3] === '1', at: Number(m[4]) * 1000 };
}

const same = (a: Omit<CookieChoice, 'at'>, b: Omit<CookieChoice, 'at'>) =>
  a.analytics === b.analytics && a.personalisation === b.personalisation;

/** The account's choice from its consent records: undefined if it never answered. */
export function accountChoice(records: readonly ConsentRecord[]): CookieChoice | undefined {
  let at = 0;
  const answer = { analytics: false, personalisation: false };
  for (const category of optionalCategories) {
    const { purpose } = cookiePurposes[category];
    for (const r of records) {
      if (r.purpose !== purpose) continue;
      at = Math.max(at, (r.withdrawnAt ?? r.givenAt).getTime());
      if (isActive(r)) answer[category] = true;
    }
  }
  return at === 0 ? undefined : { ...answer, at };
}

const resolved = (url: string) =>
  !url.startsWith('/static/') && !url.startsWith('/healthz') && !url.startsWith('/readyz');

/** A page that shows the banner when no choice is made: not the API, not the cookie page itself. */
const bannerPage = (method: string, url: string) =>
  method === 'GET' &&
  !url.startsWith('/api/') &&
  !/^\/cookies(\?|$)/.test(url) &&
  (!url.startsWith('/oidc/') || url.startsWith('/oidc/interaction/'));

export interface CookieChoices {
  /** Records a choice for this request's visitor (and account) and sets the cookie. */
  choose(req: FastifyRequest, reply: FastifyReply, answer: Omit<CookieChoice, 'at'>): Promise<void>;
  /** The texts a person consents to, per category, in a language (the policy documents in effect). */
  texts(locale: Locale): Promise<Record<OptionalCategory, string>>;
}

export function installCookieChoice(
  app: FastifyInstance,
  deps: { consent: ConsentService; policy: PolicyService; http: HttpPolicy },
): CookieChoices {
  const choiceCookie = deps.http.cookie('choice');
  const optional = (Object.keys(cookies) as (keyof typeof cookies)[]).filter(
    (id) => cookies[id].category !== 'necessary' && cookies[id].setBy === 'web',
  );

  const textCache = new Map<Locale, { at: number; texts: Record<OptionalCategory, string> }>();
  const texts = async (locale: Locale) => {
    const hit = textCache.get(locale);
    if (hit && clock.now() - hit.at < 60_000) return hit.texts;
    const [analytics, personalisation] = await Promise.all(
      optionalCategories.map((c) => deps.policy.inEffect(cookiePurposes[c].document, locale)),
    );
    const out = { analytics: analytics!.text, personalisation: personalisation!.text };
    textCache.set(locale, { at: clock.now(), texts: out });
    return out;
  };

  /** Makes the account's consents say `answer`; returns when its last change happened. */
  const record = async (req: FastifyRequest, subjectId: string, answer: Omit<CookieChoice, 'at'>) => {
    const records = await deps.consent.of(subjectId);
    const by = { type: 'self' as const, id: subjectId };
    const locale = localeOf(req);
    let at = 0;
    for (const category of optionalCategories) {
      const { purpose, document } = cookiePurposes[category];
      const active = records.filter((r) => r.purpose === purpose && isActive(r));
      if (answer[category] && active.length === 0) {
        const doc = await deps.policy.inEffect(document, locale);
        const given = await deps.consent.give(
          {
            subjectId,
            kind: 'use',
            purpose,
            categories: ['usage'],
            channel: 'portal',
            shown: { document: { documentId: doc.documentId, version: doc.version, language: doc.language } },
          },
          by,
          req.id,
        );
        at = Math.max(at, given.givenAt.getTime());
      }
      if (!answer[category])
        for (const r of active) {
          const withdrawn = await deps.consent.withdraw(r.id, by, req.id);
          at = Math.max(at, withdrawn.withdrawnAt?.getTime() ?? 0);
        }
    }
    return at;
  };

  const apply = (req: FastifyRequest, reply: FastifyReply | undefined, c: RequestCookieChoice) => {
    req.cookieChoice = c;
    permitCookies(
      req,
      optionalCategories.filter((k) => c[k]),
    );
    // Refusing removes what an earlier consent let this browser keep.
    if (reply)
      for (const id of optional) {
        const spec = cookies[id];
        const k = spec.category as OptionalCategory | 'preferences';
        if (k === 'preferences' || !c[k]) {
          const jar = deps.http.cookie(id);
          if (jar.read(req) !== undefined) jar.clear(reply);
        }
      }
  };

  const setCookie = (reply: FastifyReply, c: CookieChoice) => {
    choiceCookie.set(reply, formatChoice(c));
  };

  app.decorateRequest('cookieChoice', undefined);
  app.decorateRequest('cookieBanner', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (!resolved(req.url)) return;
    await resolve(req, reply);
    if (!req.cookieChoice?.made && bannerPage(req.method, req.url))
      req.cookieBanner = await texts(localeOf(req)).catch(() => undefined);
  });

  const resolve = async (req: FastifyRequest, reply: FastifyReply) => {
    apply(req, undefined, NONE);
    const browser = parseChoice(choiceCookie.read(req));
    const subjectId = req.principal?.citizen?.subjectId;
    try {
      if (!subjectId) {
        apply(req, reply, browser ? { ...browser, made: true, source: 'browser' } : NONE);
        return;
      }
      const account = accountChoice(await deps.consent.of(subjectId));
      if (browser && (!account || browser.at > account.at) && !same(browser, account ?? NONE)) {
        // The browser's choice is newer: it becomes the account's (P3.3.manage, reconciled).
        const at = await record(req, subjectId, browser);
        // Dated by the account's record, so a later withdrawal elsewhere is newer than it.
        setCookie(reply, { ...browser, at: at > 0 ? at : browser.at });
        apply(req, reply, { ...browser, made: true, source: 'browser' });
      } else if (account) {
        if (!browser || !same(browser, account)) setCookie(reply, account);
        apply(req, reply, { ...account, made: true, source: 'account' });
      } else {
        apply(req, reply, browser ? { ...browser, made: true, source: 'browser' } : NONE);
      }
    } catch (err) {
      req.log.warn(
        { err: (err as Error).name },
        'the cookie choice could not be reconciled; only necessary cookies for this request',
      );
      apply(req, undefined, NONE);
    }
  };

  return {
    texts,
    async choose(req, reply, answer) {
      const subjectId = req.principal?.citizen?.subjectId;
      let at = clock.now();
      if (subjectId) {
        const recorded = await record(req, subjectId, answer);
        if (recorded > 0) at = recorded;
      }
      setCookie(reply, { ...answer, at });
      apply(req, reply, { ...answer, made: true, source: subjectId ? 'account' : 'browser' });
    },
  };
}

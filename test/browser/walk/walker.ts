/**
 * Walks portal pages in one browser context (one language) and collects findings instead
 * of failing at the first: a page is looked at at each width, its same-origin links are
 * followed, and its forms are submitted empty and with one plausible wrong value.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import {
  AXE_RUN,
  AXE_SOURCE,
  badValue,
  ERROR_SUMMARY,
  FORMS,
  HORIZONTAL_SCROLL,
  LINKS,
  prepareForm,
  untranslated,
  VISIBLE_TEXTS,
  type FormInfo,
} from './checks.ts';

export const WIDTHS = [1280, 390] as const;
export const SCREENSHOTS = join('artifacts', 'screenshots');

export interface Finding {
  /** The page, as a path pattern (`/me/companies/:id`) or a journey step's name. */
  page: string;
  check: string;
  locale: string;
  width?: number;
  detail: string;
  /** What was clicked or submitted to get there. */
  via?: string;
}

/** A page's path with ids replaced, so findings name the page, not one record of it. */
export function pageKey(url: string): string {
  const u = new URL(url);
  return u.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/^\/oidc\/interaction\/[^/]+/, '/oidc/interaction/:uid');
}

export interface Persona {
  phone: string;
  password: string;
}

export class Walker {
  readonly findings: Finding[] = [];
  private readonly seenLinks = new Set<string>();
  private readonly seenForms = new Set<string>();
  private readonly seenTexts = new Set<string>();
  private navigations: Response[] = [];
  readonly page: Page;
  /** Pages looked at (page × width), for the run's summary line. */
  looked = 0;

  constructor(
    readonly base: string,
    readonly locale: string,
    readonly context: BrowserContext,
    page: Page,
    /** Who is signed in, so a form that signs out (sign out everywhere) is followed by a fresh sign-in. */
    public persona?: Persona,
  ) {
    this.page = page;
    mkdirSync(SCREENSHOTS, { recursive: true });
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) this.navigations.push(r);
    });
  }

  static async open(base: string, locale: string, context: BrowserContext, persona?: Persona) {
    // Services' own addresses (redirects after consent, delivery, logout) lead to a
    // department app that is not running: answer those here, so the walk stays on the
    // portal and never waits. Local fakes that do run (the linked-account provider) answer.
    await context.route(
      (url) => !url.toString().startsWith(base),
      async (route) => {
        const real = await route.fetch({ timeout: 3_000, maxRedirects: 0 }).catch(() => undefined);
        if (real) await route.fulfill({ response: real });
        else await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>off-site</title>' });
      },
    );
    await context.addCookies([{ name: 'civitas_lang', value: locale, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return new Walker(base, locale, context, page, persona);
  }

  private add(f: Omit<Finding, 'locale'>) {
    this.findings.push({ locale: this.locale, ...f });
  }

  /** GET a page, look at it, follow its links and (unless `forms: false`) submit its forms. */
  async visit(path: string, opts: { name?: string; forms?: boolean; skipForms?: RegExp } = {}) {
    const url = new URL(path, this.base).toString();
    this.navigations = [];
    await this.page.goto(url);
    await this.settle();
    this.statusFindings(opts.name ?? pageKey(url), `opened ${path}`);
    if (!this.page.url().startsWith(this.base)) {
      this.add({ page: opts.name ?? pageKey(url), check: 'left the portal', detail: this.page.url() });
      return;
    }
    const name = opts.name ?? pageKey(this.page.url());
    await this.inspect(name);
    await this.followLinks(name);
    if (opts.forms !== false) await this.submitForms(url, name, opts.skipForms);
  }

  /** Looks at the page as it stands (a journey step reached by a form): every check, both widths. */
  async inspect(name: string, via?: string) {
    await this.page.waitForLoadState('load');
    await this.texts(name, via);
    for (const width of WIDTHS) {
      await this.page.setViewportSize({ width, height: 900 });
      this.looked++;
      const { scrollWidth, innerWidth } = (await this.page.evaluate(HORIZONTAL_SCROLL)) as {
        scrollWidth: number;
        innerWidth: number;
      };
      if (scrollWidth > innerWidth)
        this.add({
          page: name,
          check: 'scroll',
          width,
          detail: `${scrollWidth}px wide in ${innerWidth}px`,
          via,
        });
      for (const v of await this.axe())
        this.add({
          page: name,
          check: `axe:${v.id}`,
          width,
          detail: `${v.impact}: ${v.help} (${v.nodes.join(', ')})`,
          via,
        });
      const slug = name.replace(/[^\w]+/g, '_').replace(/^_|_$/g, '') || 'home';
      await this.page.screenshot({
        path: join(SCREENSHOTS, `${this.locale}-${width}-${slug}.png`),
        fullPage: true,
      });
    }
    await this.page.setViewportSize({ width: WIDTHS[0], height: 900 });
  }

  private async axe() {
    if (!(await this.page.evaluate(`typeof window.axe !== 'undefined'`)))
      await this.page.evaluate(`${AXE_SOURCE};undefined`);
    return (await this.page.evaluate(AXE_RUN)) as {
      id: string;
      impact: string;
      help: string;
      nodes: string[];
    }[];
  }

  private async texts(name: string, via?: string) {
    const texts = (await this.page.evaluate(VISIBLE_TEXTS)) as { text: string; where: string }[];
    for (const { text, where } of texts) {
      const why = untranslated(this.locale, text);
      const key = `${name}|${text}`;
      if (!why || this.seenTexts.has(key)) continue;
      this.seenTexts.add(key);
      this.add({
        page: name,
        check: 'untranslated',
        detail: `${why} in ${where}: "${text.slice(0, 120)}"`,
        via,
      });
    }
  }

  private statusFindings(name: string, via: string) {
    for (const r of this.navigations) {
      if (r.status() === 404 || r.status() >= 500)
        this.add({
          page: name,
          check: 'status',
          detail: `${r.request().method()} ${new URL(r.url()).pathname} answered ${r.status()}`,
          via,
        });
    }
  }

  /** Every same-origin link, once per language and target, through the context's cookies. */
  async followLinks(name: string) {
    const links = (await this.page.evaluate(LINKS)) as { href: string; text: string }[];
    for (const { href, text } of links) {
      const target = href.split('#')[0]!;
      // The three language links of a page lead back to the same page: one check is enough.
      const u = new URL(target);
      const key = u.pathname.startsWith('/lang/') ? `lang:${u.searchParams.get('next')}` : target;
      if (target === this.page.url().split('#')[0] || this.seenLinks.has(key)) continue;
      this.seenLinks.add(key);
      let next = target;
      for (let hop = 0; hop < 10 && next.startsWith(this.base); hop++) {
        const res = await this.context.request.get(next, { maxRedirects: 0 });
        if (res.status() === 404 || res.status() >= 500) {
          this.add({
            page: name,
            check: 'status',
            detail: `GET ${new URL(next).pathname}${new URL(next).search} answered ${res.status()}`,
            via: `link "${text}" → ${target.slice(this.base.length)}`,
          });
          break;
        }
        const location = res.headers()['location'];
        if (!location || res.status() < 300 || res.status() >= 400) break;
        next = new URL(location, next).toString();
      }
      // The language switch remembers its choice: keep walking in this language.
      if (new URL(target).pathname.startsWith('/lang/'))
        await this.context.addCookies([{ name: 'civitas_lang', value: this.locale, url: this.base }]);
    }
  }

  /** Each form submitted empty, then (if it has fields) with one wrong value per field. */
  async submitForms(url: string, name: string, skip?: RegExp) {
    const forms = (await this.page.evaluate(FORMS)) as FormInfo[];
    for (const form of forms) {
      const action = pageKey(new URL(form.action, url).toString());
      if (skip?.test(action)) continue;
      const variants: ('empty' | 'wrong')[] = form.fields.length ? ['empty', 'wrong'] : ['empty'];
      for (const variant of variants) {
        // Once per action and button, whichever page carries it: a form in the page frame
        // (sign out in the header) would otherwise be submitted, and signed back in, on every page.
        const key = `${action}|${form.label}|${variant}`;
        if (this.seenForms.has(key)) continue;
        this.seenForms.add(key);
        await this.page.goto(url);
        const values =
          variant === 'wrong' ? Object.fromEntries(form.fields.map((f) => [f.name, badValue(f)])) : {};
        const via = `form ${form.method.toUpperCase()} ${action} "${form.label}" (${variant})`;
        const again = ((await this.page.evaluate(FORMS)) as FormInfo[])[form.index];
        if (!again || again.action !== form.action) continue; // the page changed (a list emptied)
        if (!(await this.page.evaluate(prepareForm(form.index, values)))) continue;
        await this.submit(via);
        const result = this.page.url().startsWith(this.base) ? pageKey(this.page.url()) : undefined;
        this.statusFindings(name, via);
        if (result) await this.afterSubmit(name, via);
        await this.revive();
      }
    }
  }

  /** Clicks the marked submit button and waits for where it leads (if anywhere). */
  async submit(via: string, selector = '[data-walk-submit]') {
    this.navigations = [];
    const moved = this.page.waitForNavigation({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    await this.page.click(selector, { timeout: 5_000 }).catch((err: Error) => {
      this.add({ page: pageKey(this.page.url()), check: 'click', detail: err.message.split('\n')[0]!, via });
    });
    if (await moved) await this.page.waitForLoadState('load');
    await this.settle();
  }

  /** A page that moves on by itself (Refresh towards a service, after sign-out): follow it. */
  private async settle() {
    for (let hop = 0; hop < 3 && this.page.url().startsWith(this.base); hop++) {
      const header = this.navigations.at(-1)?.headers()['refresh'];
      const meta = await this.page
        .evaluate(`document.querySelector('meta[http-equiv="refresh"]')?.content ?? null`)
        .catch(() => 'navigating');
      if (!header && !meta) break;
      await this.page.waitForNavigation({ timeout: 5_000 }).catch(() => undefined);
      await this.page.waitForLoadState('load');
    }
  }

  /** The page a submission led to: error summary, words and (when it shows an error) axe. */
  async afterSubmit(name: string, via: string) {
    const result = pageKey(this.page.url());
    const summary = (await this.page.evaluate(ERROR_SUMMARY)) as { text: string; problems: string[] } | null;
    if (summary)
      for (const problem of summary.problems)
        this.add({ page: name, check: 'error-summary', detail: `${problem} ("${summary.text}")`, via });
    await this.texts(result === name ? name : `${result} (after ${name})`, via);
    if (summary)
      for (const v of await this.axe())
        this.add({
          page: name,
          check: `axe:${v.id}`,
          detail: `${v.impact}: ${v.help} (${v.nodes.join(', ')})`,
          via,
        });
    await this.followLinks(result);
  }

  /** A form that signed the person out (sign out everywhere, logout): sign in again through the API. */
  async revive() {
    if (!this.persona) return;
    const res = await this.context.request.get(`${this.base}/me/access`, { maxRedirects: 0 });
    if (res.status() === 200) return;
    const login = await this.context.request.post(`${this.base}/api/identity/login/password`, {
      data: { phone: this.persona.phone, password: this.persona.password },
    });
    if (login.status() !== 200)
      throw new Error(`could not sign in again: ${login.status()} ${await login.text()}`);
  }
}

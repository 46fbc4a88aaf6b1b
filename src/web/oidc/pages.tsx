/**
 * The provider's own pages (logout confirmation, signed-out, errors) in the portal's frame
 * and languages, without inline script or style.
 */
import type { FastifyRequest } from 'fastify';
import { raw } from 'hono/html';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { localeOf, translator, type Locale } from '../i18n/index.ts';
import { Layout, renderPage, type PageContext } from '../layout.tsx';
import type { Principal } from '../http/principal.ts';

export function contextOf(ctx: KoaContextWithOIDC): PageContext {
  const locale = localeOf({
    cookies: { civitas_lang: ctx.cookies.get('civitas_lang') },
    headers: ctx.headers,
  } as unknown as FastifyRequest);
  // The principal the portal resolved for this request (oidc/mount.ts hands it over), so the
  // header names the signed-in person here too.
  const principal = (ctx.req as typeof ctx.req & { principal?: Principal }).principal;
  return {
    locale,
    t: translator(locale),
    // The address as the browser sent it, mount prefix included (oidc/mount.ts keeps it on
    // the raw request): the language switch returns there.
    path: (ctx.req as typeof ctx.req & { originalUrl?: string }).originalUrl ?? ctx.originalUrl ?? ctx.url,
    // The provider's pages run no script (its logout pages forbid any).
    noScript: true,
    actingFor: principal?.acting?.onBehalfOf?.name,
    ...(principal?.citizen ? { signedIn: principal.signedInAs ?? {} } : {}),
  };
}

/**
 * The service's name in the page's language (registry metadata `civitas_service_name`), else
 * in Chinese, the registry's first language; never the raw client id: without a name the page
 * asks its question without naming anyone.
 */
function serviceName(ctx: KoaContextWithOIDC, locale: Locale): string | undefined {
  const names = (ctx.oidc.client as unknown as { civitas_service_name?: Record<string, string> } | undefined)
    ?.civitas_service_name;
  return names?.[locale] || names?.['zh-CN'] || ctx.oidc.client?.clientName || undefined;
}

async function send(ctx: KoaContextWithOIDC, el: unknown): Promise<void> {
  ctx.type = 'html';
  ctx.body = await renderPage(el);
}

export const logoutPages = {
  async logoutSource(ctx: KoaContextWithOIDC, form: string) {
    const page = contextOf(ctx);
    const { t } = page;
    const client = serviceName(ctx, page.locale);
    await send(
      ctx,
      <Layout ctx={page} title={t('sso.logout.title')} area="portal">
        <h1>{t('sso.logout.title')}</h1>
        <p>{client ? `${t('sso.logout.from')} ${client}` : t('sso.logout.question')}</p>
        {raw(form)}
        <div class="actions">
          <button type="submit" form="op.logoutForm" name="logout" value="yes">
            {t('sso.logout.yes')}
          </button>
          <button type="submit" form="op.logoutForm" class="secondary">
            {t('sso.logout.no')}
          </button>
        </div>
      </Layout>,
    );
  },
  async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
    const page = contextOf(ctx);
    await send(
      ctx,
      <Layout ctx={page} title={page.t('sso.logout.done')} area="portal">
        <h1>{page.t('sso.logout.done')}</h1>
        <p>
          <a href="/">{page.t('nav.home')}</a>
        </p>
      </Layout>,
    );
  },
};

export async function renderOidcError(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string },
): Promise<void> {
  const page = contextOf(ctx);
  await send(
    ctx,
    <Layout ctx={page} title={page.t('sso.error.title')} area="portal">
      <h1>{page.t('sso.error.title')}</h1>
      <p role="alert">{page.t('sso.error.help')}</p>
      {/* The provider's description is English developer text: the code alone is quoted to the hotline. */}
      <p class="muted">
        {page.t('error.code')}: <code>{out.error}</code>
      </p>
    </Layout>,
  );
}

/** /me/export "Download my data" (P8.1.export): prepare an archive, watch it, download both copies. */
import type { ExportView } from '../../../modules/export/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';

const when = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(d);

const size = (ctx: PageContext, bytes: number | null) =>
  bytes === null
    ? ''
    : ` (${new Intl.NumberFormat(ctx.locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024))})`;

function Archive(props: { ctx: PageContext; a: ExportView }) {
  const { ctx, a } = props;
  const { t } = ctx;
  const fill = (s: string, v: Record<string, string | number>) =>
    s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));
  return (
    <li data-archive={a.id} data-state={a.state}>
      <p class="muted">{fill(t('export.requestedAt'), { when: when(ctx, a.requestedAt) })}</p>
      {a.state === 'requested' ? <p role="status">{t('export.requested')}</p> : null}
      {a.state === 'preparing' ? (
        <p role="status">
          {fill(t('export.preparing'), { done: a.sectionsDone, total: a.sectionsTotal })}{' '}
          <progress max={a.sectionsTotal} value={a.sectionsDone}></progress>
        </p>
      ) : null}
      {a.state === 'ready' ? (
        <>
          <p>{t('export.ready')}</p>
          <ul>
            <li>
              <a href={`/me/export/${a.id}/archive.json`} download>
                {t('export.json')}
              </a>
              {size(ctx, a.jsonBytes)}
            </li>
            <li>
              <a href={`/me/export/${a.id}/archive.html`} download>
                {t('export.html')}
              </a>
              {size(ctx, a.htmlBytes)}
            </li>
          </ul>
          {a.expiresAt ? <p>{fill(t('export.expires'), { when: when(ctx, a.expiresAt) })}</p> : null}
        </>
      ) : null}
      {a.state === 'expired' ? <p>{t('export.expired')}</p> : null}
      {a.state === 'failed' ? <p>{t('export.failed')}</p> : null}
    </li>
  );
}

export function ExportPage(props: { ctx: PageContext; archives: ExportView[]; sections: string[] }) {
  const { ctx, archives } = props;
  const { t } = ctx;
  const onItsWay = archives.some((a) => a.state === 'requested' || a.state === 'preparing');
  return (
    <Layout ctx={ctx} title={t('export.title')} area="portal" {...(onItsWay ? { refresh: '3' } : {})}>
      <MyDataNav ctx={ctx} current="export" />
      <h1>{t('export.title')}</h1>
      <p>{t('export.intro')}</p>
      <p>{t('export.formats')}</p>
      <details>
        <summary>{t('export.contents')}</summary>
        <ul>
          {props.sections.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
      </details>
      {onItsWay ? (
        <p class="muted">
          {t('export.refresh')} <a href="/me/export">{t('export.check')}</a>
        </p>
      ) : (
        <form method="post" action="/me/export" class="stack">
          <input type="hidden" name="prepare" value="1" />
          <button type="submit">{t('export.prepare')}</button>
        </form>
      )}
      <p class="muted">{t('export.audited')}</p>
      <h2>{t('export.history')}</h2>
      {archives.length === 0 ? (
        <p>{t('export.none')}</p>
      ) : (
        <ol class="export-list">
          {archives.map((a) => (
            <Archive ctx={ctx} a={a} />
          ))}
        </ol>
      )}
      <p>
        <a href="/me/access">{t('export.back')}</a>
      </p>
    </Layout>
  );
}

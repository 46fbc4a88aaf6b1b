/** Support's desk of "this wasn't me" reports (P7.3): open cases, oldest first, each closed with a note. */
import type { Report } from '../../../modules/activity/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export function SuspiciousDeskPage(props: {
  ctx: PageContext;
  open: Report[];
  done?: boolean;
  refusal?: { id: string; view: RefusalView; note: string } | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('admin.suspicious.title')} area="admin">
      <h1>{t('admin.suspicious.title')}</h1>
      <p>{t('admin.suspicious.intro')}</p>
      {props.done ? <p role="status">{t('admin.suspicious.closed')}</p> : null}
      {props.open.length === 0 ? (
        <p>{t('admin.suspicious.none')}</p>
      ) : (
        <ul class="cases">
          {props.open.map((r) => (
            <li data-report={r.id}>
              <dl class="facts">
                <dt>{t('admin.suspicious.reported')}</dt>
                <dd>{at(r.reportedAt)}</dd>
                <dt>{t('admin.suspicious.entry')}</dt>
                <dd>
                  {ctx.t(`activity.action.${r.entryAction}` as MessageKey)} · {at(r.entryAt)}
                </dd>
                <dt>{t('admin.suspicious.person')}</dt>
                <dd>
                  <code>{r.subjectId}</code>
                </dd>
                <dt>{t('admin.suspicious.sessions')}</dt>
                <dd>{r.sessionsEnded}</dd>
              </dl>
              {props.refusal?.id === r.id ? (
                <Refusal ctx={ctx} refusal={props.refusal.view} id={`refusal-${r.id}`} />
              ) : null}
              <form method="post" action={`/admin/suspicious/${r.id}/close`} class="stack">
                <label for={`note-${r.id}`}>{t('admin.suspicious.note')}</label>
                <textarea id={`note-${r.id}`} name="note" rows={3} maxlength={2000}>
                  {props.refusal?.id === r.id ? props.refusal.note : ''}
                </textarea>
                <button type="submit">{t('admin.suspicious.close')}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/admin">{t('console.back')}</a>
      </p>
    </Layout>
  );
}

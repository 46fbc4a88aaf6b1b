/**
 * The service hall's page for an ID number someone else registered (issue 14 item 10): the
 * staff member checks the person's document and face, looks up which account holds the
 * number, sees it (the name it gave, its level, when it was opened) and confirms it is not the person's own
 * before releasing it.
 */
import type { HeldNumber } from '../../../modules/verification/index.ts';
import { documentKinds } from '../../../modules/verification/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface ReclaimForm {
  idNumber: string;
  documentKind: string;
  faceCompared: boolean;
}

function CheckedFields(props: { ctx: PageContext; form: ReclaimForm; hidden?: boolean }) {
  const { t } = props.ctx;
  const f = props.form;
  if (props.hidden)
    return (
      <>
        <input type="hidden" name="idNumber" value={f.idNumber} />
        <input type="hidden" name="documentKind" value={f.documentKind} />
        <input type="hidden" name="faceCompared" value={f.faceCompared ? '1' : ''} />
      </>
    );
  return (
    <>
      <label for="idNumber">{t('admin.verify.idNumber')}</label>
      <input id="idNumber" name="idNumber" autocomplete="off" required value={f.idNumber} />
      <label for="documentKind">{t('admin.verify.document')}</label>
      <select id="documentKind" name="documentKind" required>
        {documentKinds.map((k) => (
          <option value={k} selected={f.documentKind === k}>
            {t(`admin.verify.doc.${k}`)}
          </option>
        ))}
      </select>
      <label class="check">
        <input type="checkbox" name="faceCompared" value="1" checked={f.faceCompared} />{' '}
        {t('admin.verify.faceCompared')}
      </label>
    </>
  );
}

export function ReclaimPage(props: {
  ctx: PageContext;
  form: ReclaimForm;
  /** Looked up: the account holding the number, or `null` when none does. */
  held?: HeldNumber | null;
  refusal?: RefusalView | undefined;
  released?: boolean;
}) {
  const { ctx, held } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('admin.reclaim.title')} area="admin">
      <h1>{t('admin.reclaim.title')}</h1>
      <p>{t('admin.reclaim.intro')}</p>
      <Refusal ctx={ctx} refusal={props.refusal} />
      {props.released ? (
        <p class="notice" role="status">
          {t('admin.reclaim.released')}
        </p>
      ) : null}
      {held === null ? (
        <p class="notice" role="status">
          {t('admin.reclaim.free')}
        </p>
      ) : null}
      {held ? (
        <section aria-labelledby="held-title">
          <h2 id="held-title">{t('admin.reclaim.held')}</h2>
          <dl class="facts" id="held">
            <dt>{t('admin.reclaim.name')}</dt>
            <dd>{held.name}</dd>
            <dt>{t('admin.reclaim.level')}</dt>
            <dd>L{held.level}</dd>
            <dt>{t('admin.reclaim.since')}</dt>
            <dd>{at(held.since)}</dd>
          </dl>
          {held.level >= 2 ? (
            <p>{t('admin.reclaim.verifiedHolder')}</p>
          ) : (
            <form method="post" action="/admin/verify/reclaim/release" class="stack">
              <CheckedFields ctx={ctx} form={props.form} hidden />
              <input type="hidden" name="holder" value={held.subjectId} />
              <label class="check">
                <input type="checkbox" name="notTheirs" value="1" required /> {t('admin.reclaim.notTheirs')}
              </label>
              <button type="submit">{t('admin.reclaim.release')}</button>
            </form>
          )}
        </section>
      ) : (
        <form method="post" action="/admin/verify/reclaim" class="stack">
          <CheckedFields ctx={ctx} form={props.form} />
          <button type="submit">{t('admin.reclaim.lookUp')}</button>
        </form>
      )}
      <p>
        <a href="/admin">{t('console.back')}</a>
      </p>
    </Layout>
  );
}

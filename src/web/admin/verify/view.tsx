/** The service hall's page: record an in-person verification (L4) after checking a document. */
import { documentKinds } from '../../../modules/verification/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export interface HallState {
  error?: string;
  idNumber?: string;
  documentKind?: string;
  done?: { name: string };
}

export function InPersonPage(props: { ctx: PageContext; state: HallState }) {
  const { t } = props.ctx;
  const s = props.state;
  return (
    <Layout ctx={props.ctx} title={t('admin.verify.title')} area="admin">
      <h1>{t('admin.verify.title')}</h1>
      <p>{t('admin.verify.intro')}</p>
      {s.error ? (
        <p class="error" role="alert" id="hall-error">
          {s.error}
        </p>
      ) : null}
      {s.done ? (
        <p class="notice" role="status">
          {t('admin.verify.done')} <strong>{s.done.name}</strong>
        </p>
      ) : null}
      <form
        method="post"
        action="/admin/verify"
        class="stack"
        aria-describedby={s.error ? 'hall-error' : undefined}
      >
        <label for="idNumber">{t('admin.verify.idNumber')}</label>
        <input id="idNumber" name="idNumber" autocomplete="off" required value={s.idNumber ?? ''} />
        <label for="documentKind">{t('admin.verify.document')}</label>
        <select id="documentKind" name="documentKind" required>
          {documentKinds.map((k) => (
            <option value={k} selected={s.documentKind === k}>
              {t(`admin.verify.doc.${k}`)}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" name="faceCompared" value="1" required /> {t('admin.verify.faceCompared')}
        </label>
        <button type="submit">{t('admin.verify.submit')}</button>
      </form>
      <p>
        <a href="/admin">{t('admin.home.title')}</a>
      </p>
    </Layout>
  );
}

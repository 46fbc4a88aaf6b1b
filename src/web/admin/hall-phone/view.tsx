/**
 * A lost phone at the service hall (issue 14 item 1): after the document and face checks
 * the staff member looks the account up by ID number, sees it, sends a code to the number
 * the person can receive on, and types the code the person reads out.
 */
import type { HeldNumber } from '../../../modules/verification/index.ts';
import { documentKinds } from '../../../modules/verification/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface HallPhoneForm {
  idNumber: string;
  documentKind: string;
  faceCompared: boolean;
  phone: string;
}

const Checked = (props: { f: HallPhoneForm; account: string }) => (
  <>
    <input type="hidden" name="idNumber" value={props.f.idNumber} />
    <input type="hidden" name="documentKind" value={props.f.documentKind} />
    <input type="hidden" name="faceCompared" value={props.f.faceCompared ? '1' : ''} />
    <input type="hidden" name="account" value={props.account} />
  </>
);

export function HallPhonePage(props: {
  ctx: PageContext;
  form: HallPhoneForm;
  account?: HeldNumber | undefined;
  /** The code went to `form.phone`: ask for it. */
  codeSent?: boolean;
  bound?: boolean;
  refusal?: RefusalView | undefined;
}) {
  const { ctx, form: f, account } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('admin.hallPhone.title')} area="admin">
      <h1>{t('admin.hallPhone.title')}</h1>
      <p>{t('admin.hallPhone.intro')}</p>
      <Refusal ctx={ctx} refusal={props.refusal} />
      {props.bound ? (
        <p class="notice" role="status">
          {t('admin.hallPhone.bound')}
        </p>
      ) : null}
      {account ? (
        <>
          <dl class="facts" id="account">
            <dt>{t('admin.reclaim.name')}</dt>
            <dd>{account.name}</dd>
            <dt>{t('admin.reclaim.level')}</dt>
            <dd>L{account.level}</dd>
            <dt>{t('admin.reclaim.since')}</dt>
            <dd>{at(account.since)}</dd>
          </dl>
          {props.codeSent ? (
            <form method="post" action="/admin/verify/phone/bind" class="stack">
              <Checked f={f} account={account.subjectId} />
              <input type="hidden" name="phone" value={f.phone} />
              <p>
                {t('admin.hallPhone.sentTo')} <strong>{f.phone}</strong>
              </p>
              <label for="code">{t('admin.hallPhone.code')}</label>
              <input id="code" name="code" inputmode="numeric" autocomplete="off" required />
              <button type="submit">{t('admin.hallPhone.bind')}</button>
            </form>
          ) : (
            <form method="post" action="/admin/verify/phone/code" class="stack">
              <Checked f={f} account={account.subjectId} />
              <label for="phone">{t('admin.hallPhone.phone')}</label>
              <input id="phone" name="phone" type="tel" inputmode="numeric" required value={f.phone} />
              <button type="submit">{t('admin.hallPhone.send')}</button>
            </form>
          )}
        </>
      ) : (
        <form method="post" action="/admin/verify/phone" class="stack">
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
          <button type="submit">{t('admin.reclaim.lookUp')}</button>
        </form>
      )}
      <p>
        <a href="/admin">{t('console.back')}</a>
      </p>
    </Layout>
  );
}

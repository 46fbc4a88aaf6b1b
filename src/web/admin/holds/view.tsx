/** The DPO's desk of legal holds (P6.2.hold): holds in force (due for review first), record, release. */
import { categories } from '../../../modules/inventory/index.ts';
import { holdBases, type HoldRow } from '../../../modules/retention/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface HoldForm {
  scope: string;
  people: string;
  categories: string[];
  basis: string;
  reason: string;
  authority: string;
  documentRef: string;
  caseRef: string;
  endsOn: string;
  reviewOn: string;
}

type Listed = HoldRow & { reviewDue: boolean; inForce: boolean };

const FIELDS: Record<string, MessageKey> = {
  scope: 'admin.holds.scope',
  subjects: 'admin.holds.people',
  categories: 'admin.holds.categories',
  basis: 'admin.holds.basis',
  reason: 'admin.holds.reason',
  authority: 'admin.holds.authority',
  documentRef: 'admin.holds.documentRef',
  caseRef: 'admin.holds.caseRef',
  endsAt: 'admin.holds.endsOn',
  reviewAt: 'admin.holds.reviewOn',
  note: 'admin.holds.note',
};

/** Which field a refusal is about, by the label the DPO sees (the service names the field). */
function Check(props: { ctx: PageContext; refusal: RefusalView | undefined }) {
  const d = props.refusal?.detail;
  if (!d) return null;
  const label = FIELDS[d]
    ? props.ctx.t(FIELDS[d])
    : /^line \d+$/.test(d)
      ? `${props.ctx.t('admin.holds.people')} · ${d.replace('line ', '#')}`
      : undefined;
  return label ? (
    <p class="error">
      {props.ctx.t('admin.holds.check')} {label}
    </p>
  ) : null;
}

export function HoldsDeskPage(props: {
  ctx: PageContext;
  holds: Listed[];
  done?: 'recorded' | 'released';
  form?: HoldForm;
  refusal?: RefusalView;
  releaseRefusal?: { id: string; view: RefusalView; note: string };
}) {
  const { ctx } = props;
  const { t } = ctx;
  const at = timeIn(ctx.locale);
  const f = props.form;
  const catLabel = (c: string) =>
    Object.hasOwn(categories, c) ? categories[c as keyof typeof categories].label[ctx.locale] : c;
  const inForce = props.holds.filter((h) => h.inForce);
  return (
    <Layout ctx={ctx} title={t('admin.holds.title')} area="admin">
      <h1>{t('admin.holds.title')}</h1>
      <p>{t('admin.holds.intro')}</p>
      {props.done ? (
        <p role="status">{t(props.done === 'recorded' ? 'admin.holds.recorded' : 'admin.holds.released')}</p>
      ) : null}
      <h2>{t('admin.holds.inForce')}</h2>
      {inForce.length === 0 ? (
        <p>{t('admin.holds.none')}</p>
      ) : (
        <ul class="cases">
          {inForce.map((h) => (
            <li data-hold={h.id}>
              {h.reviewDue ? <p class="badge">{t('admin.holds.reviewDue')}</p> : null}
              <dl class="facts">
                <dt>{t('admin.holds.scope')}</dt>
                <dd>
                  {t(`admin.holds.scope.${h.scope}` as MessageKey)}
                  {h.subjects.length > 0 ? ` · ${h.subjects.length}` : ''}
                </dd>
                <dt>{t('admin.holds.categories')}</dt>
                <dd>
                  {h.categories ? h.categories.map(catLabel).join(', ') : t('admin.holds.allCategories')}
                </dd>
                <dt>{t('admin.holds.basis')}</dt>
                <dd>{t(`hold.basis.${h.basis}` as MessageKey)}</dd>
                <dt>{t('admin.holds.reason')}</dt>
                <dd>{h.reason}</dd>
                <dt>{t('admin.holds.authority')}</dt>
                <dd>
                  {h.authority} · {h.documentRef}
                  {h.caseRef ? ` · ${h.caseRef}` : ''}
                </dd>
                <dt>{t('admin.holds.since')}</dt>
                <dd>{at(h.createdAt)}</dd>
                {h.endsAt ? (
                  <>
                    <dt>{t('admin.holds.endsOn')}</dt>
                    <dd>{at(h.endsAt)}</dd>
                  </>
                ) : null}
                {h.reviewAt ? (
                  <>
                    <dt>{t('admin.holds.reviewOn')}</dt>
                    <dd>{at(h.reviewAt)}</dd>
                  </>
                ) : null}
              </dl>
              {props.releaseRefusal?.id === h.id ? (
                <>
                  <Refusal ctx={ctx} refusal={props.releaseRefusal.view} id={`refusal-${h.id}`} />
                  <Check ctx={ctx} refusal={props.releaseRefusal.view} />
                </>
              ) : null}
              <form method="post" action={`/admin/holds/${h.id}/release`} class="stack">
                <label for={`note-${h.id}`}>{t('admin.holds.note')}</label>
                <textarea id={`note-${h.id}`} name="note" rows={2} maxlength={2000}>
                  {props.releaseRefusal?.id === h.id ? props.releaseRefusal.note : ''}
                </textarea>
                <button type="submit">{t('admin.holds.release')}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-hold">{t('admin.holds.new')}</h2>
      <Refusal ctx={ctx} refusal={props.refusal} />
      <Check ctx={ctx} refusal={props.refusal} />
      <form method="post" action="/admin/holds" class="stack" aria-labelledby="new-hold">
        <fieldset class="choices">
          <legend>{t('admin.holds.scope')}</legend>
          {(['person', 'case', 'category'] as const).map((s) => (
            <label class="check">
              <input type="radio" name="scope" value={s} checked={(f?.scope ?? 'person') === s} />{' '}
              {t(`admin.holds.scope.${s}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <label for="people">{t('admin.holds.people')}</label>
        <p class="muted">{t('admin.holds.peopleHint')}</p>
        <textarea id="people" name="people" rows={3}>
          {f?.people ?? ''}
        </textarea>
        <fieldset class="choices">
          <legend>{t('admin.holds.categories')}</legend>
          <p class="muted">{t('admin.holds.categoriesHint')}</p>
          {Object.keys(categories).map((c) => (
            <label class="check">
              <input
                type="checkbox"
                name="categories"
                value={c}
                checked={f?.categories.includes(c) ?? false}
              />{' '}
              {catLabel(c)}
            </label>
          ))}
        </fieldset>
        <label for="basis">{t('admin.holds.basis')}</label>
        <select id="basis" name="basis">
          {holdBases.map((b) => (
            <option value={b} selected={f?.basis === b}>
              {t(`hold.basis.${b}` as MessageKey)}
            </option>
          ))}
        </select>
        <label for="reason">{t('admin.holds.reason')}</label>
        <textarea id="reason" name="reason" rows={3} maxlength={2000}>
          {f?.reason ?? ''}
        </textarea>
        <label for="authority">{t('admin.holds.authority')}</label>
        <input id="authority" name="authority" maxlength={200} value={f?.authority ?? ''} />
        <label for="documentRef">{t('admin.holds.documentRef')}</label>
        <input id="documentRef" name="documentRef" maxlength={200} value={f?.documentRef ?? ''} />
        <label for="caseRef">{t('admin.holds.caseRef')}</label>
        <input id="caseRef" name="caseRef" maxlength={200} value={f?.caseRef ?? ''} />
        <label for="endsOn">{t('admin.holds.endsOn')}</label>
        <input id="endsOn" name="endsOn" type="date" value={f?.endsOn ?? ''} />
        <label for="reviewOn">{t('admin.holds.reviewOn')}</label>
        <input id="reviewOn" name="reviewOn" type="date" value={f?.reviewOn ?? ''} />
        <p class="muted">{t('admin.holds.datesHint')}</p>
        <button type="submit">{t('admin.holds.record')}</button>
      </form>
      <p>
        <a href="/admin">{t('console.back')}</a>
      </p>
    </Layout>
  );
}

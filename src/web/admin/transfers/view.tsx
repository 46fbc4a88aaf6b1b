import { categories as categorySpecs } from '../../../modules/inventory/index.ts';
import { reasons, type Campaign } from '../../../modules/transfer/index.ts';
import type { Locale } from '../../../kernel/locale.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';

export interface DraftForm {
  recipientName: string;
  recipientCreditCode: string;
  reason: string;
  categories: string[];
  scope: string;
  serviceSlug: string;
  subjectIds: string;
  noticeDays: string;
  plannedFor: string;
}

export interface CampaignLine {
  campaign: Campaign;
  people: number;
  objected: number;
}

export interface TransfersView {
  campaigns: CampaignLine[];
  services: { slug: string; name: Record<Locale, string> }[];
  defaultNoticeDays: number;
  /** What was typed into the draft form, kept when it was refused. */
  form?: DraftForm;
  refusal?: RefusalView;
  /** The campaign a refused step concerned: the refusal is shown in its row. */
  refusedCampaign?: string;
  reference?: string;
  done?: 'drafted' | 'notified' | 'transferred' | 'cancelled';
}

const open = (c: Campaign) => c.state === 'drafted' || c.state === 'notified' || c.state === 'transferable';

function Actions(props: { ctx: PageContext; line: CampaignLine; view: TransfersView }) {
  const { t } = props.ctx;
  const c = props.line.campaign;
  const mine = props.view.refusedCampaign === c.id;
  return (
    <>
      {mine ? <Refusal ctx={props.ctx} refusal={props.view.refusal} id={`refusal-${c.id}`} /> : null}
      {c.state === 'drafted' ? (
        <form method="post" action={`/admin/transfers/${c.id}/notify`}>
          <button type="submit">{t('admin.transfers.notify')}</button>
        </form>
      ) : null}
      {c.state === 'notified' || c.state === 'transferable' ? (
        // Offered while the period runs too: pressing it shows the refusal with its clause and date.
        <form method="post" action={`/admin/transfers/${c.id}/transfer`} class="stack">
          <label for={`reference-${c.id}`}>{t('admin.transfers.reference')}</label>
          <input
            id={`reference-${c.id}`}
            name="reference"
            required
            maxlength={200}
            value={mine ? (props.view.reference ?? '') : ''}
          />
          <button type="submit">{t('admin.transfers.transfer')}</button>
        </form>
      ) : null}
      {open(c) ? (
        <form method="post" action={`/admin/transfers/${c.id}/cancel`}>
          <button type="submit">{t('admin.transfers.cancel')}</button>
        </form>
      ) : null}
    </>
  );
}

function DraftSection(props: { ctx: PageContext; view: TransfersView }) {
  const { t, locale } = props.ctx;
  const { view } = props;
  const f = view.form;
  const refused = f && view.refusal && !view.refusedCampaign;
  const chosen = new Set(f?.categories ?? []);
  return (
    <section aria-labelledby="new-title">
      <h2 id="new-title">{t('admin.transfers.new')}</h2>
      {refused ? (
        <>
          <Refusal ctx={props.ctx} refusal={view.refusal} id="draft-refusal" />
          {view.refusal?.detail ? (
            <p class="muted">
              {t('admin.transfers.field')}: <code>{view.refusal.detail}</code>
            </p>
          ) : null}
        </>
      ) : null}
      <form
        method="post"
        action="/admin/transfers"
        class="stack"
        aria-describedby={refused ? 'draft-refusal' : undefined}
      >
        <label for="recipientName">{t('admin.transfers.recipientName')}</label>
        <input
          id="recipientName"
          name="recipientName"
          required
          maxlength={120}
          value={f?.recipientName ?? ''}
        />
        <label for="recipientCreditCode">{t('admin.transfers.recipientCreditCode')}</label>
        <input
          id="recipientCreditCode"
          name="recipientCreditCode"
          required
          maxlength={18}
          value={f?.recipientCreditCode ?? ''}
        />
        <label for="reason">{t('admin.transfers.reason')}</label>
        <select id="reason" name="reason">
          {reasons.map((r) => (
            <option value={r} selected={f?.reason === r}>
              {t(`admin.transfers.reason.${r}`)}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{t('admin.transfers.categories')}</legend>
          {Object.entries(categorySpecs).map(([key, spec]) => (
            <label>
              <input type="checkbox" name="categories" value={key} checked={chosen.has(key)} />{' '}
              {spec.label[locale]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('admin.transfers.scope')}</legend>
          {(['all', 'service', 'explicit'] as const).map((s) => (
            <label>
              <input type="radio" name="scope" value={s} checked={(f?.scope || 'all') === s} />{' '}
              {t(`admin.transfers.scope.${s}`)}
            </label>
          ))}
        </fieldset>
        <label for="serviceSlug">{t('admin.transfers.service')}</label>
        <select id="serviceSlug" name="serviceSlug">
          <option value="">—</option>
          {view.services.map((s) => (
            <option value={s.slug} selected={f?.serviceSlug === s.slug}>
              {s.name[locale]}
            </option>
          ))}
        </select>
        <label for="subjectIds">{t('admin.transfers.subjectIds')}</label>
        <textarea id="subjectIds" name="subjectIds" rows={4}>
          {f?.subjectIds ?? ''}
        </textarea>
        <label for="noticeDays">{t('admin.transfers.noticeDays')}</label>
        <input
          id="noticeDays"
          name="noticeDays"
          inputmode="numeric"
          value={f?.noticeDays ?? String(view.defaultNoticeDays)}
        />
        <label for="plannedFor">{t('admin.transfers.plannedFor')}</label>
        <input id="plannedFor" name="plannedFor" type="date" required value={f?.plannedFor ?? ''} />
        <button type="submit">{t('admin.transfers.draft')}</button>
      </form>
    </section>
  );
}

export function TransfersPage(props: { ctx: PageContext; view: TransfersView }) {
  const { t, locale } = props.ctx;
  const { view } = props;
  const time = timeIn(locale);
  const count = new Intl.NumberFormat(locale);
  return (
    <Layout ctx={props.ctx} title={t('admin.transfers.title')} area="admin">
      <h1>{t('admin.transfers.title')}</h1>
      <p class="muted">{t('admin.transfers.note')}</p>
      {view.done ? (
        <p class="notice" role="status">
          {t(`admin.transfers.${view.done}`)}
        </p>
      ) : null}
      {view.refusedCampaign && !view.campaigns.some((l) => l.campaign.id === view.refusedCampaign) ? (
        <Refusal ctx={props.ctx} refusal={view.refusal} />
      ) : null}
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('admin.transfers.list')}</h2>
        {view.campaigns.length === 0 ? <p>{t('console.none')}</p> : null}
        {view.campaigns.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.transfers.col.recipient')}</th>
                <th scope="col">{t('admin.transfers.col.reason')}</th>
                <th scope="col">{t('admin.transfers.col.state')}</th>
                <th scope="col">{t('admin.transfers.col.people')}</th>
                <th scope="col">{t('admin.transfers.col.objected')}</th>
                <th scope="col">{t('admin.transfers.col.noticeEnds')}</th>
                <th scope="col">{t('admin.transfers.col.planned')}</th>
                <th scope="col">{t('admin.transfers.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {view.campaigns.map((line) => {
                const c = line.campaign;
                return (
                  <tr id={`campaign-${c.id}`}>
                    <td>
                      {c.recipientName} <code>{c.recipientCreditCode}</code>
                    </td>
                    <td>{t(`admin.transfers.reason.${c.reason}`)}</td>
                    <td data-state={c.state}>{t(`admin.transfers.state.${c.state}`)}</td>
                    <td>{count.format(line.people)}</td>
                    <td>{count.format(line.objected)}</td>
                    <td data-transferable-from={c.transferableFrom?.toISOString() ?? ''}>
                      {c.transferableFrom ? time(c.transferableFrom) : t('admin.transfers.notYetTold')}
                    </td>
                    <td>{c.plannedFor}</td>
                    <td>
                      <Actions ctx={props.ctx} line={line} view={view} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
      <DraftSection ctx={props.ctx} view={view} />
    </Layout>
  );
}

import {
  mayRunIncidents,
  operatorTypes,
  type Incident,
  type IncidentClock,
} from '../../../modules/incident/index.ts';
import { categories as categorySpecs } from '../../../modules/inventory/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, timeIn, type RefusalView } from '../refusal.tsx';
import { ClockText, classLabel } from './parts.tsx';

export interface OpenForm {
  title: string;
  summary: string;
  detectedAt: string;
  systems: string;
  categories: string[];
  cause: string;
  operatorType: string;
  drill: boolean;
}

export interface IncidentsView {
  incidents: { incident: Incident; clock: IncidentClock }[];
  staffRole: string;
  form?: OpenForm;
  refusal?: RefusalView;
}

export function CategoryChoice(props: { ctx: PageContext; name: string; chosen: readonly string[] }) {
  const chosen = new Set(props.chosen);
  return (
    <>
      {Object.entries(categorySpecs).map(([key, spec]) => (
        <label>
          <input type="checkbox" name={props.name} value={key} checked={chosen.has(key)} />{' '}
          {spec.label[props.ctx.locale]}
        </label>
      ))}
    </>
  );
}

function OpenSection(props: { ctx: PageContext; view: IncidentsView }) {
  const { t } = props.ctx;
  const f = props.view.form;
  return (
    <section aria-labelledby="new-title">
      <h2 id="new-title">{t('admin.incidents.new')}</h2>
      {f ? <Refusal ctx={props.ctx} refusal={props.view.refusal} id="open-refusal" /> : null}
      {f && props.view.refusal?.detail ? (
        <p class="muted">
          {t('admin.transfers.field')}: <code>{props.view.refusal.detail}</code>
        </p>
      ) : null}
      <form method="post" action="/admin/incidents" class="stack">
        <label for="title">{t('admin.incidents.field.title')}</label>
        <input id="title" name="title" required maxlength={200} value={f?.title ?? ''} />
        <label for="summary">{t('admin.incidents.field.summary')}</label>
        <textarea id="summary" name="summary" required rows={4}>
          {f?.summary ?? ''}
        </textarea>
        <label for="detectedAt">{t('admin.incidents.field.detectedAt')}</label>
        <input id="detectedAt" name="detectedAt" type="datetime-local" required value={f?.detectedAt ?? ''} />
        <label for="systems">{t('admin.incidents.field.systems')}</label>
        <textarea id="systems" name="systems" rows={2}>
          {f?.systems ?? ''}
        </textarea>
        <fieldset>
          <legend>{t('admin.incidents.field.categories')}</legend>
          <CategoryChoice ctx={props.ctx} name="categories" chosen={f?.categories ?? []} />
        </fieldset>
        <label for="cause">{t('admin.incidents.field.cause')}</label>
        <textarea id="cause" name="cause" rows={2}>
          {f?.cause ?? ''}
        </textarea>
        <label for="operatorType">{t('admin.incidents.field.operatorType')}</label>
        <select id="operatorType" name="operatorType">
          {operatorTypes.map((o) => (
            <option value={o} selected={(f?.operatorType || 'other') === o}>
              {t(`admin.incidents.operator.${o}`)}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" name="drill" value="yes" checked={f?.drill ?? false} />{' '}
          {t('admin.incidents.field.drill')}
        </label>
        <button type="submit">{t('admin.incidents.open')}</button>
      </form>
    </section>
  );
}

export function IncidentsPage(props: { ctx: PageContext; view: IncidentsView }) {
  const { t, locale } = props.ctx;
  const { view } = props;
  const time = timeIn(locale);
  return (
    <Layout ctx={props.ctx} title={t('admin.incidents.title')} area="admin">
      <h1>{t('admin.incidents.title')}</h1>
      <p class="muted">{t('admin.incidents.note')}</p>
      {!mayRunIncidents(view.staffRole) ? <p class="notice">{t('admin.incidents.readOnly')}</p> : null}
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('admin.incidents.list')}</h2>
        {view.incidents.length === 0 ? <p>{t('console.none')}</p> : null}
        {view.incidents.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.incidents.col.title')}</th>
                <th scope="col">{t('admin.incidents.col.state')}</th>
                <th scope="col">{t('admin.incidents.col.severity')}</th>
                <th scope="col">{t('admin.incidents.col.clock')}</th>
                <th scope="col">{t('admin.incidents.col.detected')}</th>
              </tr>
            </thead>
            <tbody>
              {view.incidents.map(({ incident: i, clock }) => (
                <tr id={`incident-${i.id}`}>
                  <td>
                    {i.drill ? (
                      <>
                        <strong class="badge drill">{t('console.drill')}</strong>{' '}
                      </>
                    ) : null}
                    <a href={`/admin/incidents/${i.id}`}>{i.title}</a>
                  </td>
                  <td data-state={i.state}>{t(`admin.incidents.state.${i.state}`)}</td>
                  <td>{classLabel(props.ctx, i.severity)}</td>
                  <td>
                    <ClockText ctx={props.ctx} incident={i} clock={clock} />
                  </td>
                  <td>{time(i.detectedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {mayRunIncidents(view.staffRole) ? <OpenSection ctx={props.ctx} view={view} /> : null}
    </Layout>
  );
}

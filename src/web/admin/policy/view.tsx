/** The DPO's editor of privacy policy versions (P9.version, P9.notice). */
import type { Change } from 'diff';
import { locales, type Locale } from '../../../kernel/locale.ts';
import { purposes, type PurposeId } from '../../../modules/inventory/index.ts';
import { POLICY_SECTIONS, type VersionInput, type VersionRecord } from '../../../modules/policy/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { Refusal, type RefusalView } from '../refusal.tsx';

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function PolicyDeskPage(props: {
  ctx: PageContext;
  versions: VersionRecord[];
  noticeDays: number;
  done?: string | undefined;
  refusal?: RefusalView | undefined;
  typed?: string | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.policy.title')} area="admin">
      <h1>{t('admin.policy.title')}</h1>
      <p>{t('admin.policy.intro').replace('{days}', String(props.noticeDays))}</p>
      {props.done === 'discarded' ? (
        <p class="notice" role="status">
          {t('admin.policy.discarded')}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('privacy.versions.version')}</th>
            <th scope="col">{t('privacy.versions.effective')}</th>
            <th scope="col">{t('privacy.versions.change')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr>
              <th scope="row">{v.version}</th>
              <td>{v.effectiveFrom ? chinaDay(v.effectiveFrom) : t(`admin.policy.state.${v.state}`)}</td>
              <td>
                {v.state === 'draft'
                  ? ''
                  : t(v.material ? 'privacy.versions.material' : 'privacy.versions.minor')}
              </td>
              <td>
                <a href={`/admin/policy/${encodeURIComponent(v.version)}`}>
                  {v.state === 'draft' ? t('admin.policy.edit') : t(`admin.policy.state.${v.state}`)}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('admin.policy.new')}</h2>
      <Refusal ctx={ctx} refusal={props.refusal} />
      <form method="post" action="/admin/policy">
        <label for="version">{t('admin.policy.versionName')}</label>
        <input id="version" name="version" required maxlength={40} value={props.typed ?? ''} />
        <button type="submit">{t('admin.policy.start')}</button>
      </form>
    </Layout>
  );
}

function Diff(props: { ctx: PageContext; changes: Change[]; lang: Locale }) {
  const { t } = props.ctx;
  const changed = props.changes.filter((c) => c.added || c.removed);
  return (
    <section aria-labelledby={`diff-${props.lang}`}>
      <h3 id={`diff-${props.lang}`}>{t('admin.policy.diff').replace('{lang}', props.lang)}</h3>
      {changed.length === 0 ? (
        <p class="muted">{t('admin.policy.diff.none')}</p>
      ) : (
        <pre class="diff">
          {changed.map((c) =>
            c.value
              .replace(/\n$/, '')
              .split('\n')
              .map((line) => (c.added ? <ins>+ {line}</ins> : <del>- {line}</del>)),
          )}
        </pre>
      )}
    </section>
  );
}

export function PolicyDraftPage(props: {
  ctx: PageContext;
  record: VersionRecord;
  diffs: Record<Locale, Change[]>;
  noticeDays: number;
  done?: string | undefined;
  refusal?: RefusalView | undefined;
  typed?: VersionInput | undefined;
  effectiveOn?: string | undefined;
}) {
  const { ctx, record } = props;
  const { t, locale } = ctx;
  const draft = record.state === 'draft';
  const shown: VersionInput = props.typed ?? {
    texts: record.draftTexts,
    summary: record.summary,
    material: record.material,
    changedSections: record.changedSections,
    changedPurposes: record.changedPurposes,
  };
  return (
    <Layout ctx={ctx} title={`${t('admin.policy.title')}: ${record.version}`} area="admin">
      <h1>
        {t('admin.policy.title')}: {record.version}
      </h1>
      <p>
        <a href="/admin/policy">{t('admin.policy.title')}</a>
      </p>
      {props.done ? (
        <p class="notice" role="status">
          {props.done === 'scheduled'
            ? t('admin.policy.scheduled')
                .replace('{version}', record.version)
                .replace('{date}', record.effectiveFrom ? chinaDay(record.effectiveFrom) : '')
            : t('admin.policy.saved')}
        </p>
      ) : null}
      <Refusal ctx={ctx} refusal={props.refusal} />
      {props.refusal?.detail ? <p class="error">{props.refusal.detail}</p> : null}
      {locales.map((l) => (
        <Diff ctx={ctx} changes={props.diffs[l]} lang={l} />
      ))}
      {draft ? (
        <>
          <form method="post" action={`/admin/policy/${encodeURIComponent(record.version)}`}>
            {locales.map((l) => (
              <p>
                <label for={`text-${l}`}>{t('admin.policy.text').replace('{lang}', l)}</label>
                <textarea id={`text-${l}`} name={`text.${l}`} rows={16} lang={l}>
                  {shown.texts[l] ?? ''}
                </textarea>
              </p>
            ))}
            <p>
              <input type="checkbox" id="material" name="material" value="yes" checked={shown.material} />{' '}
              <label for="material">{t('admin.policy.material')}</label>
            </p>
            <fieldset class="choices">
              <legend>{t('admin.policy.sections')}</legend>
              {POLICY_SECTIONS.map((s) => (
                <label>
                  <input
                    type="checkbox"
                    name="sections"
                    value={s}
                    checked={shown.changedSections.includes(s)}
                  />{' '}
                  {s}
                </label>
              ))}
            </fieldset>
            <fieldset class="choices">
              <legend>{t('admin.policy.purposes')}</legend>
              {(Object.keys(purposes) as PurposeId[]).map((p) => (
                <label>
                  <input
                    type="checkbox"
                    name="purposes"
                    value={p}
                    checked={shown.changedPurposes.includes(p)}
                  />{' '}
                  {purposes[p].label[locale]}
                </label>
              ))}
            </fieldset>
            {locales.map((l) => (
              <p>
                <label for={`summary-${l}`}>{t('admin.policy.summary').replace('{lang}', l)}</label>
                <textarea id={`summary-${l}`} name={`summary.${l}`} rows={3} lang={l}>
                  {shown.summary[l] ?? ''}
                </textarea>
              </p>
            ))}
            <button type="submit">{t('admin.policy.save')}</button>
          </form>
          <form method="post" action={`/admin/policy/${encodeURIComponent(record.version)}/schedule`}>
            <label for="effectiveOn">{t('admin.policy.effective')}</label>
            <input id="effectiveOn" name="effectiveOn" type="date" required value={props.effectiveOn ?? ''} />
            <button type="submit">{t('admin.policy.schedule')}</button>
          </form>
          <form method="post" action={`/admin/policy/${encodeURIComponent(record.version)}/discard`}>
            <button type="submit" class="secondary">
              {t('admin.policy.discard')}
            </button>
          </form>
        </>
      ) : null}
    </Layout>
  );
}

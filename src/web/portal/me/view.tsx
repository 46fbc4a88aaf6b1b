/** The person's own pages: who accessed my data, my consents (P5.3.3, P8.1, P8.5, P8.6). */
import type { Child } from 'hono/jsx';
import { listOf } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { DEVICE_NAME_MAX, type NameProblem } from '../../../modules/session/index.ts';
import type { DateProblem } from './access-filter.ts';

export interface AccessRow {
  id: number;
  when: string;
  operation: string;
  who: string;
  categories: string[];
  purpose: string;
  basis: string;
  outcome: 'allowed' | 'refused';
  /** Why it was refused, in plain words. */
  reason?: string;
}

export interface AccessFilterView {
  typed: { who: string; purpose: string; from: string; to: string };
  problems: { from?: DateProblem; to?: DateProblem };
  who: { value: string; label: string }[];
  purposes: { value: string; label: string }[];
  /** Whether a filter is applied (offers "Clear filter"). */
  active: boolean;
}

export const Contact = (props: { ctx: PageContext }) => (
  <p class="muted contact">{props.ctx.t('me.contact')}</p>
);

export const MyDataNav = (props: {
  ctx: PageContext;
  current:
    | 'access'
    | 'consents'
    | 'services'
    | 'activity'
    | 'security'
    | 'verify'
    | 'deliveries'
    | 'email'
    | 'requests'
    | 'export';
}) => (
  <nav aria-label={props.ctx.t('nav.myData')} class="subnav">
    <ul>
      <li>
        <a href="/me/access" aria-current={props.current === 'access' ? 'page' : undefined}>
          {props.ctx.t('me.access.title')}
        </a>
      </li>
      <li>
        <a href="/me/consents" aria-current={props.current === 'consents' ? 'page' : undefined}>
          {props.ctx.t('me.consents.title')}
        </a>
      </li>
      <li>
        <a href="/me/services" aria-current={props.current === 'services' ? 'page' : undefined}>
          {props.ctx.t('services.title')}
        </a>
      </li>
      <li>
        <a href="/me/activity" aria-current={props.current === 'activity' ? 'page' : undefined}>
          {props.ctx.t('activity.title')}
        </a>
      </li>
      <li>
        <a href="/me/security" aria-current={props.current === 'security' ? 'page' : undefined}>
          {props.ctx.t('me.security.title')}
        </a>
      </li>
      <li>
        <a href="/me/email" aria-current={props.current === 'email' ? 'page' : undefined}>
          {props.ctx.t('email.link')}
        </a>
      </li>
      <li>
        <a href="/me/verify" aria-current={props.current === 'verify' ? 'page' : undefined}>
          {props.ctx.t('verify.title')}
        </a>
      </li>
      <li>
        <a href="/me/deliveries" aria-current={props.current === 'deliveries' ? 'page' : undefined}>
          {props.ctx.t('delivery.mine.title')}
        </a>
      </li>
      <li>
        <a href="/me/requests" aria-current={props.current === 'requests' ? 'page' : undefined}>
          {props.ctx.t('rights.title')}
        </a>
      </li>
      <li>
        <a href="/me/export" aria-current={props.current === 'export' ? 'page' : undefined}>
          {props.ctx.t('export.title')}
        </a>
      </li>
    </ul>
  </nav>
);

const dateProblems: Record<DateProblem, MessageKey> = {
  date: 'access.error.date',
  range: 'access.error.range',
};

/** The GET form that narrows the log; what was typed stays in it, a bad date is said beside it. */
function AccessFilterForm(props: { ctx: PageContext; f: AccessFilterView }) {
  const { t } = props.ctx;
  const f = props.f;
  const dateField = (name: 'from' | 'to', label: MessageKey) => {
    const problem = f.problems[name];
    const id = `access-${name}`;
    return (
      <div class="field">
        <label for={id}>{t(label)}</label>
        <p class="muted" id={`${id}-hint`}>
          {t('access.filter.dateHint')}
        </p>
        {problem ? (
          <p class="error" id={`${id}-error`}>
            {t(dateProblems[problem])}
          </p>
        ) : null}
        <input
          id={id}
          name={name}
          type="date"
          value={f.typed[name]}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-hint ${id}-error` : `${id}-hint`}
        />
      </div>
    );
  };
  const problems = (['from', 'to'] as const).filter((n) => f.problems[n]);
  return (
    <form method="get" action="/me/access" class="filter stack" aria-labelledby="access-filter-title">
      <h2 id="access-filter-title">{t('access.filter.title')}</h2>
      {problems.length > 0 ? (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h3 id="error-summary-title">{t('secpages.problem')}</h3>
          <ul>
            {problems.map((n) => (
              <li>
                <a href={`#access-${n}`}>{t(dateProblems[f.problems[n]!])}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="field">
        <label for="access-who">{t('me.access.who')}</label>
        <select id="access-who" name="who">
          <option value="">{t('access.filter.anyone')}</option>
          {f.who.map((w) => (
            <option value={w.value} selected={w.value === f.typed.who}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="access-purpose">{t('me.access.purpose')}</label>
        <select id="access-purpose" name="purpose">
          <option value="">{t('access.filter.anyPurpose')}</option>
          {f.purposes.map((p) => (
            <option value={p.value} selected={p.value === f.typed.purpose}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {dateField('from', 'access.filter.from')}
      {dateField('to', 'access.filter.to')}
      <p>
        <button type="submit">{t('access.filter.apply')}</button>
        {f.active ? (
          <>
            {' '}
            <a href="/me/access">{t('access.filter.clear')}</a>
          </>
        ) : null}
      </p>
    </form>
  );
}

export function AccessPage(props: {
  ctx: PageContext;
  rows: AccessRow[];
  filter: AccessFilterView;
  /** Addresses of the next pages of the same filter, when there are any. */
  newer?: string;
  older?: string;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.access.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="access" />
      <h1>{t('me.access.title')}</h1>
      <p>{t('me.access.intro')}</p>
      <AccessFilterForm ctx={props.ctx} f={props.filter} />
      {props.rows.length === 0 ? (
        <p>{props.filter.active ? t('access.filter.noMatch') : t('me.access.empty')}</p>
      ) : (
        <table class="access">
          <thead>
            <tr>
              <th scope="col">{t('me.access.when')}</th>
              <th scope="col">{t('me.access.who')}</th>
              <th scope="col">{t('me.access.what')}</th>
              <th scope="col">{t('me.access.purpose')}</th>
              <th scope="col">{t('me.access.basis')}</th>
              <th scope="col">{t('access.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-outcome={r.outcome}>
                <td data-label={t('me.access.when')}>{r.when}</td>
                <td data-label={t('me.access.who')}>
                  {r.who}
                  <span class="muted"> · {r.operation}</span>
                </td>
                <td data-label={t('me.access.what')}>{listOf(props.ctx.locale, r.categories)}</td>
                <td data-label={t('me.access.purpose')}>{r.purpose}</td>
                <td data-label={t('me.access.basis')}>{r.basis}</td>
                <td data-label={t('access.outcome')}>
                  {r.outcome === 'refused' ? (
                    <>
                      <strong>{t('access.refused')}</strong>
                      {r.reason ? <span class="refusal">: {r.reason}</span> : null}
                    </>
                  ) : (
                    t('access.allowed')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.newer || props.older ? (
        <nav class="paging" aria-label={t('me.access.title')}>
          <ul>
            {props.newer ? (
              <li>
                <a href={props.newer} rel="prev">
                  {t('access.newer')}
                </a>
              </li>
            ) : null}
            {props.older ? (
              <li>
                <a href={props.older} rel="next">
                  {t('me.access.older')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

export interface ConsentRow {
  id: string;
  purpose: string;
  essential: boolean;
  categories: string[];
  recipient: string;
  given: string;
  status: 'active' | 'withdrawn' | 'expired';
}

export function ConsentsPage(props: { ctx: PageContext; rows: ConsentRow[]; withdrawn?: boolean }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.consents.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="consents" />
      <h1>{t('me.consents.title')}</h1>
      <p>{t('me.consents.intro')}</p>
      {props.withdrawn ? (
        <p class="notice" role="status">
          {t('me.consents.done')}
        </p>
      ) : null}
      {props.rows.length === 0 ? <p>{t('me.consents.empty')}</p> : null}
      <ul class="consents">
        {props.rows.map((c) => (
          <li class="consent">
            <h2>{c.purpose}</h2>
            <dl class="facts">
              <dt>{t('me.consents.data')}</dt>
              <dd>{listOf(props.ctx.locale, c.categories)}</dd>
              <dt>{t('me.consents.recipient')}</dt>
              <dd>{c.recipient}</dd>
              <dt>{t('me.consents.given')}</dt>
              <dd>{c.given}</dd>
              <dt>{t('me.consents.status')}</dt>
              <dd>{t(`me.consents.${c.status}`)}</dd>
            </dl>
            {c.status === 'active' ? (
              <form method="post" action={`/me/consents/${c.id}/withdraw`}>
                <p class="muted" id={`effect-${c.id}`}>
                  {c.essential ? t('me.consents.effect.essential') : t('me.consents.effect.optional')}
                </p>
                <button type="submit" aria-describedby={`effect-${c.id}`}>
                  {t('me.consents.withdraw')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

export interface DeviceRow {
  id: string;
  device: string;
  /** The name the person gave it. */
  name: string | null;
  since: string;
  lastUsed: string;
  current: boolean;
}

const nameProblems: Record<NameProblem, MessageKey> = {
  empty: 'name.error.empty',
  'too-long': 'devices.name.tooLong',
  chars: 'name.error.chars',
};

/** The naming form of one device (on the security page, and again with its error). */
function NameDeviceForm(props: {
  ctx: PageContext;
  id: string;
  value: string;
  problem?: NameProblem | undefined;
}) {
  const { t } = props.ctx;
  const field = `device-name-${props.id}`;
  const error = props.problem ? t(nameProblems[props.problem]) : undefined;
  return (
    <form method="post" action={`/me/sessions/${props.id}/name`} class="stack device-name" novalidate>
      <label for={field}>{t('devices.name.change')}</label>
      <p class="muted" id={`${field}-hint`}>
        {t('devices.name.hint')}
      </p>
      {error ? (
        <p class="error" id={`${field}-error`}>
          {error}
        </p>
      ) : null}
      <input
        id={field}
        name="name"
        value={props.value}
        maxlength={DEVICE_NAME_MAX}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${field}-hint ${field}-error` : `${field}-hint`}
      />
      <button type="submit">{t('devices.name.save')}</button>
    </form>
  );
}

/** A refused device name: the form again, with what was typed and why it was refused. */
export function NameDevicePage(props: {
  ctx: PageContext;
  id: string;
  device: string;
  typed: string;
  problem: NameProblem;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('devices.name.change')} area="portal">
      <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
        <h2 id="error-summary-title">{t('secpages.problem')}</h2>
        <ul>
          <li>
            <a href={`#device-name-${props.id}`}>{t(nameProblems[props.problem])}</a>
          </li>
        </ul>
      </div>
      <h1>{t('devices.name.change')}</h1>
      <p>{props.device}</p>
      <NameDeviceForm ctx={props.ctx} id={props.id} value={props.typed} problem={props.problem} />
      <p>
        <a href="/me/security">{t('confirm.cancel')}</a>
      </p>
    </Layout>
  );
}

export function SecurityPage(props: {
  ctx: PageContext;
  rows: DeviceRow[];
  ended?: boolean;
  notice?: string | undefined;
  linked?: Child;
  /** P7.3 second factors and login alerts (security.tsx). */
  sections?: Child;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('me.security.title')} area="portal">
      <MyDataNav ctx={props.ctx} current="security" />
      <h1>{t('me.security.title')}</h1>
      <p>{t('me.security.intro')}</p>
      {props.ended || props.notice ? (
        <p class="notice" role="status">
          {props.ended ? t('me.security.ended') : props.notice}
        </p>
      ) : null}
      <h2>{t('security.devices.title')}</h2>
      <p class="muted">{t('devices.noPlace')}</p>
      <ul class="devices">
        {props.rows.map((r) => (
          <li class="device" data-device={r.id}>
            <h3>
              {r.name ? (
                <>
                  {r.name} <span class="muted">({r.device})</span>
                </>
              ) : (
                r.device
              )}
              {r.current ? <strong> · {t('me.security.current')}</strong> : null}
            </h3>
            <dl class="facts">
              <dt>{t('me.security.since')}</dt>
              <dd>{r.since}</dd>
              <dt>{t('devices.lastUsed')}</dt>
              <dd>{r.lastUsed}</dd>
            </dl>
            <NameDeviceForm ctx={props.ctx} id={r.id} value={r.name ?? ''} />
            {r.current ? null : (
              <form method="post" action={`/me/sessions/${r.id}/end`}>
                <button
                  type="submit"
                  aria-label={`${t('me.security.signOut')}: ${r.name ?? r.device}, ${r.since}`}
                >
                  {t('me.security.signOut')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form method="post" action="/me/sessions/end-others">
        <button type="submit">{t('me.security.signOutOthers')}</button>
      </form>
      {props.sections}
      {props.linked}
      <Contact ctx={props.ctx} />
    </Layout>
  );
}

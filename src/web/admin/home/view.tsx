import { mayManageRelyingParties, mayUseFor, type StaffMember } from '../../../modules/staff/index.ts';
import { mayPublishAnnouncements } from '../../../modules/announce/index.ts';
import { mayRunTransfers } from '../../../modules/transfer/index.ts';
import { mayHandleRights } from '../../../modules/rights/index.ts';
import { mayRecordHolds } from '../../../modules/retention/index.ts';
import { mayHandleReports } from '../../../modules/activity/index.ts';
import { mayReadIncidents } from '../../../modules/incident/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { mayWatchDeliveries } from '../deliveries/who.ts';

export function LoginPage(props: {
  ctx: PageContext;
  failed?: boolean;
  /** A refusal other than wrong credentials (a slowed-down account, an ended sign-in). */
  error?: string;
  email?: string;
}) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('admin.login.title')} area="admin">
      <h1>{t('admin.login.title')}</h1>
      <p class="muted">{t('admin.login.note')}</p>
      {props.failed || props.error ? (
        <p class="error" role="alert" id="login-error">
          {props.error ?? t('admin.login.failed')}
        </p>
      ) : null}
      <form
        method="post"
        action="/admin/login"
        class="stack"
        aria-describedby={props.failed || props.error ? 'login-error' : undefined}
      >
        <label for="email">{t('admin.login.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <label for="password">{t('admin.login.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{t('admin.login.submit')}</button>
      </form>
    </Layout>
  );
}

export interface ConsoleView {
  staff: StaffMember;
  audit: { entries: number; lastCheckpointAt: string | null };
  recent: { id: number; occurredAt: string; actorType: string; action: string; clause: string | null }[];
}

export function ConsoleHome(props: { ctx: PageContext; view: ConsoleView }) {
  const { t, locale } = props.ctx;
  const { staff, audit, recent } = props.view;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone: 'Asia/Shanghai',
    }).format(new Date(iso));
  return (
    <Layout ctx={props.ctx} title={t('admin.home.title')} area="admin">
      <h1>{t('admin.home.title')}</h1>
      <dl class="facts">
        <dt>{t('admin.home.signedIn')}</dt>
        <dd>{staff.displayName}</dd>
        <dt>{t('admin.home.role')}</dt>
        <dd>{t(`role.${staff.role}`)}</dd>
      </dl>
      {staff.role === 'service_hall' ? (
        <p>
          <a href="/admin/verify">{t('admin.verify.link')}</a>
        </p>
      ) : null}
      {staff.role === 'service_hall' ? (
        <p>
          <a href="/admin/verify/reclaim">{t('admin.reclaim.link')}</a>
        </p>
      ) : null}
      {staff.role === 'service_hall' ? (
        <p>
          <a href="/admin/verify/phone">{t('admin.hallPhone.link')}</a>
        </p>
      ) : null}
      <form method="post" action="/admin/logout">
        <button type="submit">{t('admin.signOut')}</button>
      </form>
      <p>
        <a href="/admin/password">{t('admin.password.link')}</a>
      </p>
      {mayManageRelyingParties(staff.role) ? (
        <p>
          <a href="/admin/services">{t('admin.services.title')}</a>
        </p>
      ) : null}
      {mayUseFor(staff.role, 'customer-support') ? (
        <p>
          <a href="/admin/accounts">{t('admin.accounts.link')}</a>
        </p>
      ) : null}
      {mayPublishAnnouncements(staff.role) ? (
        <p>
          <a href="/admin/announcements">{t('announce.admin.title')}</a>
        </p>
      ) : null}
      {mayRunTransfers(staff.role) ? (
        <p>
          <a href="/admin/transfers">{t('admin.transfers.link')}</a>
        </p>
      ) : null}
      {mayHandleReports(staff.role) ? (
        <p>
          <a href="/admin/suspicious">{t('admin.suspicious.link')}</a>
        </p>
      ) : null}
      {mayHandleRights(staff.role) ? (
        <p>
          <a href="/admin/rights">{t('admin.rights.link')}</a>
        </p>
      ) : null}
      {mayRecordHolds(staff.role) ? (
        <p>
          <a href="/admin/holds">{t('admin.holds.link')}</a>
        </p>
      ) : null}
      {staff.role === 'dpo' ? (
        <p>
          <a href="/admin/policy">{t('admin.policy.link')}</a>
        </p>
      ) : null}
      <p>
        <a href="/admin/usage">{t('admin.usage.link')}</a>
      </p>
      {mayReadIncidents(staff.role) ? (
        <p>
          <a href="/admin/incidents">{t('admin.incidents.link')}</a>
        </p>
      ) : null}
      {mayWatchDeliveries(staff.role) ? (
        <p>
          <a href="/admin/deliveries">{t('admin.deliveries.link')}</a>
        </p>
      ) : null}
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t('admin.home.audit')}</h2>
        <dl class="facts">
          <dt>{t('admin.home.entries')}</dt>
          <dd>{new Intl.NumberFormat(locale).format(audit.entries)}</dd>
          <dt>{t('admin.home.checkpoint')}</dt>
          <dd>{audit.lastCheckpointAt ? time(audit.lastCheckpointAt) : t('admin.home.never')}</dd>
        </dl>
        <table>
          <caption>{t('admin.home.recent')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.home.col.time')}</th>
              <th scope="col">{t('admin.home.col.actor')}</th>
              <th scope="col">{t('admin.home.col.action')}</th>
              <th scope="col">{t('admin.home.col.clause')}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((e) => (
              <tr>
                <td>{time(e.occurredAt)}</td>
                <td>{e.actorType}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.clause ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

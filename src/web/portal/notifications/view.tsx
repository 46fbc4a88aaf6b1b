/** /me/notifications: per kind of message, the ways it reaches the person. */
import { channels, type ChannelId, type KindChoice } from '../../../modules/notify/index.ts';
import { ErrorSummary, FieldMessage } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { ClauseLink } from '../privacy/view.tsx';

export function NotificationsPage(props: {
  ctx: PageContext;
  kinds: KindChoice[];
  reachable: ChannelId[];
  status?: string | undefined;
  errors?: FieldError[] | undefined;
  /** The clause of the refusal, for the policy link. */
  clause?: string | undefined;
}) {
  const { ctx, kinds, reachable } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('prefs.title')} area="portal">
      <h2>{t('prefs.title')}</h2>
      <ErrorSummary ctx={ctx} errors={props.errors}>
        <p>{t('prefs.refusedKeep')}</p>
        <ClauseLink ctx={ctx} clause={props.clause} />
      </ErrorSummary>
      {props.status ? (
        <p class="notice" role="status">
          {props.status}
        </p>
      ) : null}
      <p>{t('prefs.intro')}</p>
      {!reachable.includes('mail') ? (
        <p class="muted">
          {t('prefs.noMail')} <a href="/me/email">{t('prefs.addMail')}</a>
        </p>
      ) : null}
      {!reachable.includes('push') ? (
        <p class="muted">
          {t('prefs.noPush')} <a href="/me/push">{t('prefs.addPush')}</a>
        </p>
      ) : null}
      <form method="post" action="/me/notifications" class="stack">
        <input type="hidden" name="sent" value="1" />
        {kinds.map((k) => (
          <fieldset class="prefs-kind" id={`kind-${k.kind}`}>
            <legend>{t(`prefs.kind.${k.kind}`)}</legend>
            <p class="muted">{k.mandatory ? t('prefs.mandatory') : t('prefs.optional')}</p>
            <FieldMessage id={`kind-${k.kind}`} errors={props.errors} />
            {channels.map((c) => (
              <p>
                <label>
                  <input
                    type="checkbox"
                    name={k.kind}
                    value={c}
                    checked={k.channels.includes(c)}
                    aria-describedby={
                      props.errors?.some((e) => e.field === `kind-${k.kind}`)
                        ? `kind-${k.kind}-error`
                        : undefined
                    }
                  />{' '}
                  {t(`channel.${c}`)}
                  {!reachable.includes(c) ? <span class="muted"> ({t('prefs.notReachable')})</span> : null}
                </label>
              </p>
            ))}
          </fieldset>
        ))}
        <p class="muted">{t('prefs.fallback')}</p>
        <button type="submit">{t('prefs.save')}</button>
      </form>
      <p>
        <a href="/me/inbox">{t('inbox.title')}</a>
      </p>
    </Layout>
  );
}

/** P9.accept the change a signed-in person is asked to acknowledge, and the consents it asks again. */
import type { PendingChange } from '../../../modules/policy/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';
import { chinaDay } from './view.tsx';

export function ChangesPage(props: {
  ctx: PageContext;
  pending: PendingChange | undefined;
  awaiting: { id: string; purpose: string; recipient: string; serviceTerms: boolean }[];
  done?: 'accepted' | 'agreed' | 'withdrawn' | undefined;
}) {
  const { ctx, pending } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('privacy.changes.title')} area="portal">
      <h1>{t('privacy.changes.title')}</h1>
      {props.done ? (
        <p class="notice" role="status">
          {props.done === 'accepted'
            ? t('privacy.changes.accepted')
            : t(props.done === 'agreed' ? 'privacy.changes.agreed' : 'privacy.changes.withdrawn')}
        </p>
      ) : null}
      {pending ? (
        <section aria-labelledby="change-title">
          <h2 id="change-title">
            {t('privacy.changes.intro')
              .replace('{version}', pending.version)
              .replace('{date}', chinaDay(pending.effectiveFrom))}
          </h2>
          <p>{pending.summary[locale] ?? ''}</p>
          <p>
            <a href="/privacy">{t('privacy.changes.read')}</a>
          </p>
          <form method="post" action="/privacy/changes/accept">
            <button type="submit">{t('privacy.changes.accept')}</button>
          </form>
        </section>
      ) : props.done ? null : (
        <p>{t('privacy.changes.none')}</p>
      )}
      {props.awaiting.length > 0 ? (
        <section aria-labelledby="reconsent-title">
          <h2 id="reconsent-title">{t('privacy.changes.consents')}</h2>
          <p>{t('privacy.changes.consents.intro')}</p>
          <ul class="plain">
            {props.awaiting.map((c) => (
              <li class="card">
                <p>
                  {t('privacy.changes.for')
                    .replace('{recipient}', c.recipient)
                    .replace('{purpose}', c.purpose)}
                </p>
                <form method="post" action={`/privacy/changes/consents/${c.id}`} class="actions">
                  <button type="submit" name="answer" value="agree">
                    {t('privacy.changes.agree')}
                  </button>
                  <button type="submit" name="answer" value="withdraw" class="secondary">
                    {t('privacy.changes.withdraw')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

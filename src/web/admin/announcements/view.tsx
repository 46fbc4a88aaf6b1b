/** The console's announcements: the list (drills marked) and the publish form in three languages. */
import type { ListedAnnouncement } from '../../../modules/announce/index.ts';
import { localeNames, locales, type Locale } from '../../i18n/index.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export interface AnnouncementForm {
  kind?: string;
  expires?: string;
  texts?: Partial<Record<Locale, { title?: string; text?: string }>>;
}

export function AnnouncementsPage(props: {
  ctx: PageContext;
  list: ListedAnnouncement[];
  /** A fresh key for the form: posting it twice publishes once. */
  formKey: string;
  form?: AnnouncementForm;
  status?: string | undefined;
  error?: string | undefined;
}) {
  const { ctx, list, form = {} } = props;
  const { t, locale } = ctx;
  const day = (d: Date) =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(d);
  return (
    <Layout ctx={ctx} title={t('announce.admin.title')} area="admin">
      <h1>{t('announce.admin.title')}</h1>
      <p class="muted">{t('announce.admin.intro')}</p>
      {props.error ? (
        <p class="error" role="alert" id="announce-error">
          {props.error}
        </p>
      ) : null}
      {props.status ? (
        <p class="notice" role="status">
          {props.status}
        </p>
      ) : null}
      {list.length === 0 ? (
        <p>{t('announce.admin.none')}</p>
      ) : (
        <ul class="stack">
          {list.map((a) => (
            <li class="announcement" id={`a-${a.id}`}>
              <p>
                <strong>{a.title}</strong> · {t(`announce.kind.${a.kind}`)} · {t('announce.admin.status')}:{' '}
                {t(`announce.admin.status.${a.status}`)} · {t('announce.admin.until')} {day(a.expiresAt)}
              </p>
              {a.drill ? <p class="muted">{t('announce.admin.drill')}</p> : null}
              <p class="announcement-text">{a.text}</p>
              {a.status === 'published' ? (
                <form method="post" action={`/admin/announcements/${a.id}/withdraw`}>
                  <button type="submit">{t('announce.admin.withdraw')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('announce.admin.publish')}</h2>
      <form
        method="post"
        action="/admin/announcements"
        class="stack"
        aria-describedby={props.error ? 'announce-error' : undefined}
      >
        <input type="hidden" name="key" value={props.formKey} />
        <label for="kind">{t('announce.admin.kind')}</label>
        <select id="kind" name="kind">
          {(['service', 'policy'] as const).map((k) => (
            <option value={k} selected={form.kind === k}>
              {t(`announce.kind.${k}`)}
            </option>
          ))}
        </select>
        {locales.map((l) => (
          <fieldset lang={l}>
            <legend>{localeNames[l]}</legend>
            <label for={`title-${l}`}>{t('announce.admin.titleIn')}</label>
            <input
              id={`title-${l}`}
              name={`title-${l}`}
              maxlength={200}
              required
              value={form.texts?.[l]?.title ?? ''}
            />
            <label for={`text-${l}`}>{t('announce.admin.textIn')}</label>
            <textarea id={`text-${l}`} name={`text-${l}`} maxlength={4000} rows={3} required>
              {form.texts?.[l]?.text ?? ''}
            </textarea>
          </fieldset>
        ))}
        <label for="expires">{t('announce.admin.expires')}</label>
        <input id="expires" name="expires" type="date" required value={form.expires ?? ''} />
        <button type="submit">{t('announce.admin.submit')}</button>
      </form>
    </Layout>
  );
}

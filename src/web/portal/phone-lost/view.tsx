/**
 * /login/phone-lost: bind a new number when the old phone is lost (self-service: a second
 * factor at L1–L2, a photo of the face at L3). No script: the camera opens through the file
 * input's `capture` attribute, as on /me/verify.
 */
import { ErrorSummary, Field } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';
import { Layout, type PageContext } from '../../layout.tsx';

export interface PhoneLostState {
  phone?: string;
  name?: string;
  idNumber?: string;
  codeSent?: boolean;
  done?: boolean;
  errors?: FieldError[] | undefined;
}

export function PhoneLostPage(props: { ctx: PageContext; state: PhoneLostState }) {
  const { ctx, state: s } = props;
  const { t } = ctx;
  if (s.done)
    return (
      <Layout ctx={ctx} title={t('phoneLost.title')} area="portal">
        <h1>{t('phoneLost.title')}</h1>
        <p role="status">{t('phoneLost.done')}</p>
        <p>
          <a href="/login">{t('phoneLost.signIn')}</a>
        </p>
      </Layout>
    );
  return (
    <Layout ctx={ctx} title={t('phoneLost.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={s.errors} />
      <h1>{t('phoneLost.title')}</h1>
      <p>{t('phoneLost.intro')}</p>
      <p class="muted">{t('phoneLost.hall')}</p>
      {s.codeSent ? <p role="status">{t('phoneLost.codeSent')}</p> : null}
      <form
        method="post"
        action="/login/phone-lost"
        class="stack"
        novalidate
        {...(s.codeSent ? { enctype: 'multipart/form-data' } : {})}
      >
        <Field
          id="phone"
          label={t('phoneLost.phone')}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          value={s.phone}
          errors={s.errors}
        />
        {s.codeSent ? (
          <>
            <Field
              id="code"
              label={t('phoneLost.code')}
              inputmode="numeric"
              autocomplete="one-time-code"
              errors={s.errors}
            />
            <Field
              id="name"
              label={t('phoneLost.name')}
              autocomplete="name"
              value={s.name}
              errors={s.errors}
            />
            <Field id="idNumber" label={t('phoneLost.idNumber')} value={s.idNumber} errors={s.errors} />
            <Field
              id="factor"
              label={t('phoneLost.factor')}
              hint={t('phoneLost.factorHint')}
              autocomplete="one-time-code"
              errors={s.errors}
            />
            <Field
              id="photo"
              label={t('phoneLost.photo')}
              hint={t('phoneLost.photoHint')}
              type="file"
              attrs={{ accept: 'image/*', capture: 'user' }}
              errors={s.errors}
            />
            <button type="submit">{t('phoneLost.submit')}</button>
          </>
        ) : (
          <button type="submit" name="send" value="1">
            {t('phoneLost.send')}
          </button>
        )}
      </form>
    </Layout>
  );
}

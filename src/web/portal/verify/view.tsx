/**
 * /me/verify: the person's level, what each level allows, and one step per level, each
 * stating what is sent to whom before the person submits (P2.1, P5.1.4, P7.2). Plain forms,
 * no script; the camera opens through the file input's `capture` attribute.
 */
import { Layout, type PageContext } from '../../layout.tsx';
import { MyDataNav } from '../me/view.tsx';
import { ClauseLink } from '../privacy/view.tsx';
import { ErrorSummary, Field, FieldMessage, fieldAria } from '../../forms/fields.tsx';
import type { FieldError } from '../../forms/errors.ts';

import { withNext } from '../../http/return-address.ts';

export interface PartnerNotice {
  name: string;
  agreementRef: string;
}

export interface VerifyView {
  level: number;
  partners: { registry: PartnerNotice; face: PartnerNotice; bank: PartnerNotice };
  done?: { level: number; imageKept?: boolean; imageAsked?: boolean };
  corrected?: boolean;
  error?: {
    step: 'l2' | 'l3' | 'l4' | 'correct';
    /** The refusal on its field (web/forms): the summary links to it. */
    errors: FieldError[];
    clause?: string | undefined;
  };
  /** What the person typed, shown again after a refusal (the card too: it is theirs, on their screen). */
  kept?: { name?: string; idNumber?: string; cardNumber?: string; phone?: string };
  /** A local path to continue to once verified (the SSO interaction that asked for a level). */
  next?: string;
  /** The face-image consent: the policy document's version in effect and its exact text. */
  faceConsent: { version: string; text: string };
}

const levels = [1, 2, 3, 4] as const;

function Notice(props: { ctx: PageContext; partner: PartnerNotice; data: string }) {
  const { t } = props.ctx;
  return (
    <dl class="facts notice-sent">
      <dt>{t('verify.notice.recipient')}</dt>
      <dd>{props.partner.name}</dd>
      <dt>{t('verify.notice.data')}</dt>
      <dd>{props.data}</dd>
      <dt>{t('verify.notice.purpose')}</dt>
      <dd>{t('verify.notice.purposeText')}</dd>
      <dt>{t('verify.notice.agreement')}</dt>
      <dd>{props.partner.agreementRef}</dd>
    </dl>
  );
}

/** The first field of each step: a refusal about the step as a whole is tied to it. */
export const stepField = { l2: 'verify-registry', l3: 'photo', l4: 'cardNumber', correct: 'name' } as const;

export function VerifyPage(props: { ctx: PageContext; view: VerifyView }) {
  const { t } = props.ctx;
  const v = props.view;
  const errors = v.error?.errors;
  return (
    <Layout ctx={props.ctx} title={t('verify.title')} area="portal">
      <ErrorSummary ctx={props.ctx} errors={errors}>
        <ClauseLink ctx={props.ctx} clause={v.error?.clause} />
      </ErrorSummary>
      <MyDataNav ctx={props.ctx} current="verify" />
      <h1>{t('verify.title')}</h1>
      {v.done ? (
        <div class="notice" role="status">
          <p>
            {t('verify.done')} <strong>L{v.done.level}</strong>.
          </p>
          {v.done.imageAsked !== undefined ? (
            <p>{v.done.imageKept ? t('verify.imageKept') : t('verify.imageDiscarded')}</p>
          ) : null}
          {v.next ? (
            <p>
              <a href={v.next}>{t('verify.continue')}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      {v.corrected ? (
        <p class="notice" role="status">
          {t('verify.corrected')}
        </p>
      ) : null}
      <p>{t('verify.intro')}</p>
      <p>
        {t('verify.current')}: <strong id="current-level">L{v.level}</strong>
      </p>
      <table class="levels">
        <tbody>
          {levels.map((l) => (
            <tr>
              <th scope="row">{t(`verify.level.${l}`)}</th>
              <td>{t(`verify.allows.${l}`)}</td>
              <td>{v.level >= l ? t('verify.reached') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <section id="l2" aria-labelledby="l2-title">
        <h2 id="l2-title">{t('verify.l2.title')}</h2>
        <Notice ctx={props.ctx} partner={v.partners.registry} data={t('verify.l2.data')} />
        <form method="post" action={withNext('/me/verify/registry', v.next)}>
          <FieldMessage id={stepField.l2} errors={errors} />
          <button
            type="submit"
            id={stepField.l2}
            aria-describedby={fieldAria(stepField.l2, errors)['aria-describedby']}
          >
            {t('verify.l2.submit')}
          </button>
        </form>
      </section>

      <section id="l3" aria-labelledby="l3-title">
        <h2 id="l3-title">{t('verify.l3.title')}</h2>
        {v.level < 2 ? <p class="muted">{t('verify.needs.3')}</p> : null}
        <Notice ctx={props.ctx} partner={v.partners.face} data={t('verify.l3.data')} />
        <form
          method="post"
          action={withNext('/me/verify/face', v.next)}
          enctype="multipart/form-data"
          class="stack"
        >
          <Field
            id="photo"
            label={t('verify.l3.photo')}
            type="file"
            required
            errors={errors}
            attrs={{ accept: 'image/jpeg,image/png', capture: 'user' }}
          />
          <p class="muted">{t('verify.l3.discard')}</p>
          <label class="check">
            <input type="checkbox" name="keep" value="1" /> {v.faceConsent.text}
          </label>
          <input type="hidden" name="keepWording" value={v.faceConsent.version} />
          {/* P2.2.1 unticked by default: where, when and with what the photo was taken goes. */}
          <label class="check">
            <input type="checkbox" name="keepMetadata" value="1" /> {t('verify.l3.keepMetadata')}
          </label>
          <button type="submit">{t('verify.l3.submit')}</button>
        </form>
      </section>

      <section id="l4" aria-labelledby="l4-title">
        <h2 id="l4-title">{t('verify.l4.title')}</h2>
        {v.level < 3 ? <p class="muted">{t('verify.needs.4')}</p> : null}
        <Notice ctx={props.ctx} partner={v.partners.bank} data={t('verify.l4.data')} />
        <form method="post" action={withNext('/me/verify/bank', v.next)} class="stack" novalidate>
          <Field
            id="cardNumber"
            label={t('verify.l4.card')}
            inputmode="numeric"
            autocomplete="cc-number"
            required
            value={v.kept?.cardNumber ?? ''}
            errors={errors}
          />
          <Field
            id="bankPhone"
            name="phone"
            label={t('verify.l4.phone')}
            type="tel"
            inputmode="tel"
            autocomplete="tel-national"
            required
            value={v.kept?.phone ?? ''}
            errors={errors}
          />
          <button type="submit">{t('verify.l4.submit')}</button>
        </form>
        <p>{t('verify.l4.hall')}</p>
      </section>

      <section id="correct" aria-labelledby="correct-title">
        <h2 id="correct-title">{t('verify.correct.title')}</h2>
        <p>{t('verify.correct.intro')}</p>
        <form method="post" action={withNext('/me/verify/correct', v.next)} class="stack">
          <Field
            id="name"
            label={t('verify.correct.name')}
            autocomplete="name"
            value={v.kept?.name ?? ''}
            errors={errors}
          />
          <Field
            id="idNumber"
            label={t('verify.correct.idNumber')}
            autocomplete="off"
            value={v.kept?.idNumber ?? ''}
            errors={errors}
          />
          <button type="submit">{t('verify.correct.submit')}</button>
        </form>
      </section>
      <p class="muted contact">{t('me.contact')}</p>
    </Layout>
  );
}

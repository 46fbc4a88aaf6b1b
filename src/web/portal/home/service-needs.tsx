import { fieldLabel, type RelyingParty } from '../../../modules/catalogue/index.ts';
import { purposes } from '../../../modules/inventory/index.ts';
import type { PageContext } from '../../layout.tsx';

/** P2.3 what a service asks for, why, for how long, and the level it needs. */
export function ServiceNeeds(props: { ctx: PageContext; rp: RelyingParty }) {
  const { t, locale } = props.ctx;
  return (
    <details class="needs">
      <summary>
        {t('home.needs')} · L{props.rp.assuranceLevel}
      </summary>
      <ul>
        {props.rp.fields.map((f) => (
          <li>
            {fieldLabel(f.field)[locale]} ({t(f.required ? 'sso.consent.required' : 'sso.consent.optional')}):{' '}
            {purposes[f.purpose].label[locale]}; {t('sso.consent.keptFor')} {f.retentionDays}{' '}
            {t('sso.consent.days')}
          </li>
        ))}
        {props.rp.offlineDelivery ? <li>{t('delivery.offered')}</li> : null}
      </ul>
    </details>
  );
}

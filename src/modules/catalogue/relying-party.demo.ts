/**
 * The demo services as relying parties: what each asks for, why, for how long, at which
 * level. Seeded with the demo catalogue, pointing at the demo department app
 * (`npm run department`), so `npm start` shows the whole single sign-on journey.
 */
import type { FieldRequest } from './relying-party.ts';

const need = (
  field: FieldRequest['field'],
  purpose: FieldRequest['purpose'],
  retentionDays: number,
  required = true,
): FieldRequest => ({ field, purpose, retentionDays, required });

const FIVE_YEARS = 5 * 365;

export const demoRelyingParties: {
  service: string;
  level: number;
  fields: FieldRequest[];
  /** Posts results (P2.4): the demo app's back end reads delivery contacts. */
  delivery?: true;
}[] = [
  {
    service: 'housing-fund-account',
    level: 2,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
      need('phone', 'service-provision', 365, false),
    ],
  },
  {
    service: 'housing-fund-withdrawal',
    level: 2,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
      need('phone', 'service-provision', FIVE_YEARS),
      need('address', 'service-provision', FIVE_YEARS, false),
    ],
  },
  {
    service: 'social-insurance-record',
    level: 2,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
    ],
  },
  {
    service: 'pension-certification',
    level: 3,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
    ],
  },
  {
    service: 'transit-card',
    level: 1,
    delivery: true,
    fields: [need('name', 'service-provision', 365), need('phone', 'service-provision', 365, false)],
  },
  {
    service: 'income-tax-return',
    level: 2,
    fields: [
      need('name', 'service-provision', 10 * 365),
      need('id_number', 'real-name-verification', 10 * 365),
      need('phone', 'service-provision', 365, false),
      need('email', 'service-provision', 365, false),
    ],
  },
  {
    service: 'household-certificate',
    level: 2,
    delivery: true,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
      need('address', 'service-provision', FIVE_YEARS),
    ],
  },
  {
    service: 'residence-permit',
    level: 2,
    fields: [
      need('name', 'service-provision', FIVE_YEARS),
      need('id_number', 'real-name-verification', FIVE_YEARS),
      need('phone', 'service-provision', FIVE_YEARS),
      need('address', 'service-provision', FIVE_YEARS),
    ],
  },
];

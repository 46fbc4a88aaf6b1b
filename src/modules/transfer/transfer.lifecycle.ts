/**
 * The life of a bulk transfer (P5.3.2; src/kernel/lifecycle.ts, drawn in docs/lifecycles.md),
 * enforced in SQL by the shared lifecycle guard (migration 0027). The notice period is a
 * guard on `period-ends`: a campaign becomes transferable only once it has passed since
 * every affected person was told (`notified_at`), read from the clock seam. Recording the
 * transfer is possible only from `transferable`: from `drafted` it is refused as "nobody was
 * told yet", from `cancelled` as cancelled.
 */
import { defineLifecycle, type Guard } from '../../kernel/lifecycle.ts';
import { transferErrors } from './transfer.errors.ts';

export type CampaignState = 'drafted' | 'notified' | 'transferable' | 'transferred' | 'cancelled';
export type CampaignEvent = 'notify' | 'period-ends' | 'transfer' | 'cancel';

export interface PeriodFacts {
  now: number;
  /** When the period ends: the notice went out plus the campaign's notice days. */
  transferableFrom: number;
}

const periodPassed: Guard<PeriodFacts> = {
  name: 'notice period passed',
  refusal: transferErrors.notice_period_running,
  allows: (f) => f.now >= f.transferableFrom,
};

export const campaignLifecycle = defineLifecycle<CampaignState, CampaignEvent, PeriodFacts>({
  name: 'transfer-campaign',
  table: 'transfer_campaign',
  module: 'transfer',
  describes:
    'one bulk transfer of people’s data to another organisation (merger, acquisition, change of operator)',
  states: {
    drafted: 'recorded by the DPO: recipient, reason, categories, scope, notice period, planned date',
    notified: 'every affected person was given the notice (`notified_at`); the notice period runs',
    transferable: 'the notice period has passed: the transfer may be recorded',
    transferred: 'the transfer was recorded (`transferred_at`); people who objected were left out',
    cancelled: 'called off (`cancelled_at`); it can never transfer',
  },
  initial: ['drafted'],
  transitions: [
    {
      from: 'drafted',
      event: 'notify',
      to: 'notified',
      when: 'the notice was fanned out to every affected person',
    },
    {
      from: 'notified',
      event: 'period-ends',
      to: 'transferable',
      when: 'the notice period passed since the notice went out',
      guards: [periodPassed],
    },
    { from: 'transferable', event: 'transfer', to: 'transferred', when: 'the DPO records the transfer' },
    {
      from: ['drafted', 'notified', 'transferable'],
      event: 'cancel',
      to: 'cancelled',
      when: 'the DPO calls it off',
    },
  ],
  refusal: transferErrors.illegal_transition,
  refusalFrom: {
    drafted: transferErrors.not_notified,
    cancelled: transferErrors.cancelled,
  },
});

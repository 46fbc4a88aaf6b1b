export {
  createNotifyService,
  backoffSeconds,
  type NotifyService,
  type Outbox,
  type Message,
  type DrainResult,
  type NotifyLog,
  type Notice,
  type FanOutResult,
  type InboxEntry,
  type KindChoice,
  type NoticeProgress,
  type OutboxOverview,
} from './notify.service.ts';
export { createSmsChannel } from './notify.sms.ts';
export type { Channel, Outgoing, Outcome } from './notify.channel.ts';
export {
  templates,
  render,
  renderTitle,
  isMandatory,
  beijingMinute,
  channels,
  kinds,
  isKind,
  localised,
  transferReasons,
  type TemplateId,
  type ParamsOf,
  type ChannelId,
  type Kind,
  type Localised,
  type Params,
} from './notify.templates.ts';
export { defaultChannels } from './notify.preferences.ts';
export { states, failureCodes, type OutboxState, type DeliveryState } from './notify.states.ts';
export { outboxLifecycle } from './notify.lifecycle.ts';
export { notifyErrors } from './notify.errors.ts';
export { notifyData } from './notify.data.ts';

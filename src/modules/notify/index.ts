export {
  createNotifyService,
  backoffSeconds,
  type NotifyService,
  type Outbox,
  type Message,
  type DrainResult,
  type NotifyLog,
} from './notify.service.ts';
export { createSmsChannel } from './notify.sms.ts';
export type { Channel, Outgoing, Outcome } from './notify.channel.ts';
export {
  templates,
  render,
  beijingMinute,
  channels,
  type TemplateId,
  type ParamsOf,
  type ChannelId,
} from './notify.templates.ts';
export { states, failureCodes, type OutboxState, type DeliveryState } from './notify.states.ts';
export { outboxLifecycle } from './notify.lifecycle.ts';
export { notifyErrors } from './notify.errors.ts';
export { notifyData } from './notify.data.ts';

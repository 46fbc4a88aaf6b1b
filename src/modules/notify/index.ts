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
export { createPushChannel, INBOX_PATH } from './notify.push.ts';
export {
  createPushSubscriptions,
  type PushSubscriptions,
  type BrowserSubscription,
  type BrowserOf,
  type SubscriptionView,
} from './notify.subscriptions.ts';
export { createMailChannel } from './notify.mail.ts';
export {
  createEmailService,
  normaliseEmail,
  type EmailService,
  type EmailOverview,
  type EmailContext,
} from './notify.email.ts';
export { emailLifecycle, type EmailState } from './notify.email.lifecycle.ts';
export { HARD_BOUNCES_UNREACHABLE } from './notify.reach.ts';
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
  rightsRequestKinds,
  rightsRequestSteps,
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

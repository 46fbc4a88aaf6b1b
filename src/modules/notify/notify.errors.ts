import { defineErrors } from '../../kernel/errors.ts';

export const notifyErrors = defineErrors('notify', {
  illegal_transition: {
    status: 409,
    clause: 'P7.3',
    title: {
      en: 'This message cannot change that way (it was already sent, or failed for good)',
      'zh-CN': '该消息无法这样变更（已发送，或已最终失败）',
      cs: 'Tuto zprávu nelze takto změnit (už byla odeslána, nebo definitivně selhala)',
    },
  },
  mandatory_needs_channel: {
    status: 422,
    clause: 'P7.3',
    title: {
      en: 'Security alerts, incident notices and legal notices cannot be switched off: choose at least one way to receive them',
      'zh-CN': '安全提醒、安全事件通知和法定告知不能关闭：请至少选择一种接收方式',
      cs: 'Bezpečnostní upozornění, oznámení o incidentech a zákonná oznámení nelze vypnout: vyberte alespoň jeden způsob doručení',
    },
  },
  push_subscription_invalid: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'This browser gave a push subscription Civitas cannot use (its address or keys are not valid)',
      'zh-CN': '此浏览器提供的推送订阅无法使用（地址或密钥无效）',
      cs: 'Tento prohlížeč předal odběr push, který Civitas nemůže použít (adresa nebo klíče nejsou platné)',
    },
  },
  push_service_refused: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: "This browser's push service is not one Civitas sends to",
      'zh-CN': '此浏览器的推送服务不在 Civitas 支持的范围内',
      cs: 'Služba push tohoto prohlížeče nepatří mezi ty, kterým Civitas posílá',
    },
  },
});

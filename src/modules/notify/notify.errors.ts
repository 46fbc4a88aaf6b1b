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
});

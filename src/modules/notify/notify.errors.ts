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
});

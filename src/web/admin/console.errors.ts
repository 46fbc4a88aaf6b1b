import { defineErrors } from '../../kernel/errors.ts';

/** Refusals of console pages that no domain service makes for them. */
export const consoleErrors = defineErrors('console', {
  deliveries_forbidden: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Only the security officer and the data protection officer watch deliveries',
      'zh-CN': '只有安全负责人和个人信息保护负责人可以查看发送情况',
      cs: 'Doručování sleduje pouze bezpečnostní pracovník a pověřenec pro ochranu osobních údajů',
    },
  },
  invalid_form: {
    status: 400,
    title: {
      en: 'Some fields are missing or not valid',
      'zh-CN': '有字段缺失或无效',
      cs: 'Některá pole chybí nebo nejsou platná',
    },
  },
});

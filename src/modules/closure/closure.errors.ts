import { defineErrors } from '../../kernel/errors.ts';

export const closureErrors = defineErrors('closure', {
  company_representative: {
    status: 409,
    clause: 'P8.5.cancel',
    title: {
      en: 'You are the legal representative of a company on Civitas: hand it over before closing your account',
      'zh-CN': '您是 Civitas 上某企业的法定代表人：请先完成企业交接，再注销账号',
      cs: 'Jste statutárním zástupcem firmy v Civitas: před zrušením účtu ji předejte',
    },
  },
  already_closing: {
    status: 409,
    clause: 'P8.5.cancel',
    title: {
      en: 'Your account is already being closed',
      'zh-CN': '您的账号已在注销中',
      cs: 'Váš účet se již ruší',
    },
  },
  not_undoable: {
    status: 409,
    clause: 'P8.5.cancel',
    title: {
      en: 'There is no closure of this account that can still be undone',
      'zh-CN': '该账号没有可撤销的注销申请',
      cs: 'Zrušení tohoto účtu už nelze vzít zpět',
    },
  },
  not_support: {
    status: 403,
    clause: 'P7.2.roles',
    title: {
      en: 'Only support staff record an account closure for a person',
      'zh-CN': '仅客服人员可以代为登记注销账号申请',
      cs: 'Zrušení účtu za člověka zaznamenávají jen pracovníci podpory',
    },
  },
  ticket_required: {
    status: 400,
    clause: 'P8.5.cancel',
    title: {
      en: 'Give the support ticket (3 to 100 characters) the closure was asked in',
      'zh-CN': '请填写提出注销申请的客服工单号（3 至 100 个字符）',
      cs: 'Uveďte číslo požadavku podpory (3 až 100 znaků), v němž o zrušení požádal',
    },
  },
});

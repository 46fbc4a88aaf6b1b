import { defineErrors } from '../../kernel/errors.ts';

export const linkedErrors = defineErrors('linked', {
  unknown_provider: {
    status: 404,
    title: {
      en: 'This sign-in provider is not offered',
      'zh-CN': '不支持该登录平台',
      cs: 'Tento poskytovatel přihlášení není nabízen',
    },
  },
  flow_invalid: {
    status: 400,
    clause: 'P7.1',
    title: {
      en: 'The answer from the other provider does not match a sign-in started here, or came too late; start again',
      'zh-CN': '其他平台的返回结果与本站发起的登录不符或已超时，请重新开始',
      cs: 'Odpověď jiného poskytovatele neodpovídá přihlášení zahájenému zde, nebo přišla pozdě; začněte znovu',
    },
  },
  upstream_failed: {
    status: 502,
    title: {
      en: 'The other provider could not confirm the account; try again later',
      'zh-CN': '其他平台未能确认该账号，请稍后再试',
      cs: 'Jiný poskytovatel účet nepotvrdil; zkuste to později',
    },
  },
  not_linked: {
    status: 403,
    clause: 'P7.1',
    title: {
      en: 'This account is not linked to any Civitas account; sign in and link it on the security page first',
      'zh-CN': '该账号未关联任何 Civitas 账户，请先登录并在安全页面关联',
      cs: 'Tento účet není propojen s žádným účtem Civitas; nejprve se přihlaste a propojte jej na stránce zabezpečení',
    },
  },
  linked_elsewhere: {
    status: 409,
    clause: 'P7.1',
    title: {
      en: 'This account is already linked to another Civitas account',
      'zh-CN': '该账号已关联其他 Civitas 账户',
      cs: 'Tento účet je již propojen s jiným účtem Civitas',
    },
  },
  provider_linked: {
    status: 409,
    title: {
      en: 'An account from this provider is already linked; unlink it first',
      'zh-CN': '已关联该平台的账号，如需更换请先解除关联',
      cs: 'Účet od tohoto poskytovatele je již propojen; nejprve propojení zrušte',
    },
  },
  not_found: {
    status: 404,
    title: { en: 'No such link', 'zh-CN': '没有该关联', cs: 'Takové propojení neexistuje' },
  },
});

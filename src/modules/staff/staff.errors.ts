import { defineErrors } from '../../kernel/errors.ts';

export const staffErrors = defineErrors('staff', {
  invalid_credentials: {
    status: 401,
    title: {
      en: 'The e-mail or password is not correct',
      'zh-CN': '邮箱或密码不正确',
      cs: 'E-mail nebo heslo není správné',
    },
  },
  weak_password: {
    status: 400,
    clause: 'P7.2',
    title: {
      en: 'Staff passwords must be at least 12 characters',
      'zh-CN': '工作人员密码至少需要 12 个字符',
      cs: 'Heslo pracovníka musí mít alespoň 12 znaků',
    },
  },
  common_password: {
    status: 400,
    clause: 'P7.2',
    title: {
      en: 'This password is on a list of common or breached passwords; choose another',
      'zh-CN': '该密码过于常见或已在泄露事件中出现，请换一个',
      cs: 'Toto heslo je na seznamu běžných nebo uniklých hesel; zvolte jiné',
    },
  },
  email_taken: {
    status: 409,
    title: {
      en: 'A staff account with this e-mail exists',
      'zh-CN': '该邮箱的工作人员账号已存在',
      cs: 'Účet s tímto e-mailem již existuje',
    },
  },
  slow_down: {
    status: 429,
    clause: 'P7.2',
    title: {
      en: 'Too many wrong attempts for this account: wait a minute, then try again',
      'zh-CN': '该账号错误尝试次数过多，请稍等一分钟再试',
      cs: 'Příliš mnoho chybných pokusů u tohoto účtu: počkejte minutu a zkuste to znovu',
    },
  },
  code_invalid: {
    status: 400,
    clause: 'P7.2',
    title: {
      en: 'The code from the authenticator app is not correct',
      'zh-CN': '身份验证器应用中的验证码不正确',
      cs: 'Kód z ověřovací aplikace není správný',
    },
  },
  second_factor_expired: {
    status: 401,
    clause: 'P7.2',
    title: {
      en: 'This sign-in has ended; sign in again with your password',
      'zh-CN': '本次登录已结束，请重新输入密码登录',
      cs: 'Toto přihlášení skončilo; přihlaste se znovu heslem',
    },
  },
  wrong_current_password: {
    status: 400,
    clause: 'P7.2',
    title: {
      en: 'Your current password is not correct',
      'zh-CN': '当前密码不正确',
      cs: 'Vaše současné heslo není správné',
    },
  },
  same_password: {
    status: 400,
    clause: 'P7.2',
    title: {
      en: 'Choose a password other than your current one',
      'zh-CN': '请设置与当前密码不同的新密码',
      cs: 'Zvolte jiné heslo, než je současné',
    },
  },
});

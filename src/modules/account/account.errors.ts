import { defineErrors } from '../../kernel/errors.ts';

// Codes keep the `identity.` prefix: they are stable identifiers that clients and stored
// problem answers use (the identity module was split into account, session, signin, support).
export const accountErrors = defineErrors('identity', {
  invalid_phone: {
    status: 400,
    title: {
      en: 'Enter an 11-digit mainland mobile number',
      'zh-CN': '请输入 11 位手机号码',
      cs: 'Zadejte 11místné mobilní číslo',
    },
  },
  invalid_id_number: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'This is not a valid resident ID number',
      'zh-CN': '居民身份证号码无效',
      cs: 'Toto není platné číslo průkazu',
    },
  },
  invalid_name: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'Enter your name as on your ID card',
      'zh-CN': '请输入与身份证一致的姓名',
      cs: 'Zadejte jméno jako v průkazu',
    },
  },
  weak_password: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'Choose a password of 8 to 128 characters',
      'zh-CN': '请设置 8 至 128 位的密码',
      cs: 'Zvolte heslo o délce 8 až 128 znaků',
    },
  },
  common_password: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'This password is on a list of common or breached passwords; choose another',
      'zh-CN': '该密码过于常见或已在泄露事件中出现，请换一个',
      cs: 'Toto heslo je na seznamu běžných nebo uniklých hesel; zvolte jiné',
    },
  },
  phone_registered: {
    status: 409,
    title: {
      en: 'This number already has an account; sign in instead',
      'zh-CN': '该手机号已注册，请直接登录',
      cs: 'Toto číslo již má účet; přihlaste se',
    },
  },
  id_number_registered: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'An account already exists for this ID number',
      'zh-CN': '该身份证号码已有账号',
      cs: 'Pro toto číslo průkazu již účet existuje',
    },
  },
  registration_refused: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'An account cannot be opened with these details. If you already have an account, sign in or reset your password; if someone else opened an account in your name, take your identity card to a service hall; otherwise call the 12345 hotline',
      'zh-CN':
        '无法使用这些信息开户。如您已有账号，请登录或重置密码；如有他人冒用您的名义开户，请携带有效证件到政务服务大厅办理；否则请拨打 12345 热线',
      cs: 'S těmito údaji nelze účet založit. Pokud už účet máte, přihlaste se nebo si obnovte heslo; pokud vaše číslo průkazu použil někdo jiný, přijďte s občanským průkazem na kontaktní místo; jinak volejte linku 12345',
    },
  },
  account_transition: {
    status: 409,
    title: {
      en: 'This change is not possible for the account in its current state',
      'zh-CN': '账号在当前状态下不能进行此项变更',
      cs: 'Tuto změnu nelze u účtu v jeho současném stavu provést',
    },
  },
});

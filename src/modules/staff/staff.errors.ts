import { defineErrors } from '../../shared/errors.ts';

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
  email_taken: {
    status: 409,
    title: {
      en: 'A staff account with this e-mail exists',
      'zh-CN': '该邮箱的工作人员账号已存在',
      cs: 'Účet s tímto e-mailem již existuje',
    },
  },
});

import { defineErrors } from '../../kernel/errors.ts';

export const connectedErrors = defineErrors('connected', {
  unknown_service: {
    status: 404,
    clause: 'P8.1.view',
    title: {
      en: 'This service is not connected to your account',
      'zh-CN': '该服务未与您的账号关联',
      cs: 'Tato služba není propojena s vaším účtem',
    },
  },
});

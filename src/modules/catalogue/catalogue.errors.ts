import { defineErrors } from '../../kernel/errors.ts';

export const catalogueErrors = defineErrors('catalogue', {
  invalid_registration: {
    status: 400,
    clause: 'P2.3',
    title: {
      en: 'The service registration is incomplete or asks for something it may not',
      'zh-CN': '服务登记信息不完整或申请了不允许的内容',
      cs: 'Registrace služby je neúplná nebo žádá, co nesmí',
    },
  },
  unknown_service: {
    status: 404,
    title: {
      en: 'No such service in the catalogue',
      'zh-CN': '服务目录中没有该服务',
      cs: 'Taková služba v katalogu není',
    },
  },
});

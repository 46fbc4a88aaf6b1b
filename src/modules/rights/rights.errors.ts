import { defineErrors } from '../../kernel/errors.ts';

export const rightsErrors = defineErrors('rights', {
  unknown_request: {
    status: 404,
    title: { en: 'No such request', 'zh-CN': '没有该请求', cs: 'Taková žádost neexistuje' },
  },
  invalid_request: {
    status: 400,
    clause: 'P8.2',
    title: {
      en: 'The request is not complete: say what you ask for',
      'zh-CN': '请求不完整：请写明您的要求',
      cs: 'Žádost není úplná: napište, o co žádáte',
    },
  },
  identity_not_confirmed: {
    status: 409,
    clause: 'P8.3',
    title: {
      en: 'The person’s identity is not confirmed yet: the request cannot be handled before it is',
      'zh-CN': '尚未核验请求人的身份：核验前不能办理该请求',
      cs: 'Totožnost žadatele ještě není ověřena: do ověření nelze žádost vyřídit',
    },
  },
  decided: {
    status: 409,
    clause: 'P8.2',
    title: {
      en: 'This request has already been decided',
      'zh-CN': '该请求已经办结',
      cs: 'O této žádosti už bylo rozhodnuto',
    },
  },
  withdrawn: {
    status: 409,
    clause: 'P8.2',
    title: {
      en: 'This request was withdrawn',
      'zh-CN': '该请求已撤回',
      cs: 'Tato žádost byla vzata zpět',
    },
  },
  reason_required: {
    status: 400,
    clause: 'P8.4',
    title: {
      en: 'A refusal or a partial answer needs its reason, and the exemption it rests on',
      'zh-CN': '拒绝或部分办理须写明理由及所依据的例外情形',
      cs: 'Zamítnutí nebo částečné vyřízení musí uvést důvod a výjimku, o kterou se opírá',
    },
  },
  unconfirmed_refusal: {
    status: 409,
    clause: 'P8.3',
    title: {
      en: 'A request whose identity is not confirmed can only be refused for that reason',
      'zh-CN': '未核验身份的请求只能以身份无法核验为由拒绝',
      cs: 'Žádost bez ověřené totožnosti lze zamítnout jen z tohoto důvodu',
    },
  },
  illegal_transition: {
    status: 409,
    clause: 'P8.2',
    title: {
      en: 'This request cannot change that way',
      'zh-CN': '该请求无法这样变更',
      cs: 'Tuto žádost nelze takto změnit',
    },
  },
  forbidden: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Only the data protection officer decides rights requests',
      'zh-CN': '只有个人信息保护负责人可以办理权利请求',
      cs: 'O žádostech o uplatnění práv rozhoduje pouze pověřenec pro ochranu osobních údajů',
    },
  },
});

import { defineErrors } from '../../kernel/errors.ts';

export const transferErrors = defineErrors('transfer', {
  unknown_campaign: {
    status: 404,
    title: {
      en: 'No such transfer campaign',
      'zh-CN': '没有该转移活动',
      cs: 'Taková kampaň předání neexistuje',
    },
  },
  invalid_campaign: {
    status: 400,
    clause: 'P5.3.2',
    title: {
      en: 'The transfer campaign is not complete or not valid',
      'zh-CN': '转移活动信息不完整或无效',
      cs: 'Kampaň předání není úplná nebo platná',
    },
  },
  unknown_people: {
    status: 400,
    clause: 'P5.3.2',
    title: {
      en: 'Some of the listed accounts do not exist',
      'zh-CN': '所列账号中有不存在的账号',
      cs: 'Některé z uvedených účtů neexistují',
    },
  },
  planned_too_soon: {
    status: 400,
    clause: 'P5.3.2',
    title: {
      en: 'The planned transfer date is before the notice period would end',
      'zh-CN': '计划转移日期早于告知期届满之日',
      cs: 'Plánované datum předání je dříve, než by skončila výpovědní lhůta oznámení',
    },
  },
  not_notified: {
    status: 409,
    clause: 'P5.3.2',
    title: {
      en: 'The affected people have not been told yet: send the notice first',
      'zh-CN': '尚未告知受影响的用户：请先发送告知',
      cs: 'Dotčené osoby ještě nebyly informovány: nejprve odešlete oznámení',
    },
  },
  notice_period_running: {
    status: 409,
    clause: 'P5.3.2',
    title: {
      en: 'The notice period has not passed yet: the data may not move before it ends',
      'zh-CN': '告知期尚未届满：届满前不得转移数据',
      cs: 'Lhůta od oznámení ještě neuplynula: údaje se před jejím koncem nesmějí předat',
    },
  },
  cancelled: {
    status: 409,
    clause: 'P5.3.2',
    title: {
      en: 'This transfer campaign was cancelled',
      'zh-CN': '该转移活动已取消',
      cs: 'Tato kampaň předání byla zrušena',
    },
  },
  illegal_transition: {
    status: 409,
    clause: 'P5.3.2',
    title: {
      en: 'This transfer campaign cannot change that way',
      'zh-CN': '该转移活动无法这样变更',
      cs: 'Tuto kampaň předání nelze takto změnit',
    },
  },
  forbidden: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Only the data protection officer runs transfer campaigns',
      'zh-CN': '只有个人信息保护负责人可以办理转移活动',
      cs: 'Kampaně předání vede pouze pověřenec pro ochranu osobních údajů',
    },
  },
});

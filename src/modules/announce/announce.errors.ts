import { defineErrors } from '../../kernel/errors.ts';

export const announceErrors = defineErrors('announce', {
  unknown: {
    status: 404,
    title: {
      en: 'No such announcement',
      'zh-CN': '没有该公告',
      cs: 'Takové oznámení neexistuje',
    },
  },
  invalid: {
    status: 400,
    title: {
      en: 'The announcement is not complete or not valid: it needs a title and a text in every language and an expiry in the future',
      'zh-CN': '公告信息不完整或无效：每种语言都需要标题和正文，且到期时间须晚于现在',
      cs: 'Oznámení není úplné nebo platné: potřebuje nadpis a text v každém jazyce a konec platnosti v budoucnu',
    },
  },
  withdrawn: {
    status: 409,
    title: {
      en: 'This announcement was already withdrawn',
      'zh-CN': '该公告已撤回',
      cs: 'Toto oznámení již bylo staženo',
    },
  },
  illegal_transition: {
    status: 409,
    title: {
      en: 'This announcement cannot change that way',
      'zh-CN': '该公告无法这样变更',
      cs: 'Toto oznámení nelze takto změnit',
    },
  },
  forbidden: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Your role may not publish or withdraw announcements',
      'zh-CN': '您的角色无权发布或撤回公告',
      cs: 'Vaše role nesmí zveřejňovat ani stahovat oznámení',
    },
  },
});

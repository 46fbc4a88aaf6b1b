import { defineErrors } from '../../kernel/errors.ts';

export const activityErrors = defineErrors('activity', {
  unknown_entry: {
    status: 404,
    clause: 'P8.1.view',
    title: {
      en: 'There is no such entry in your activity',
      'zh-CN': '您的活动记录中没有该条目',
      cs: 'Takový záznam ve vaší aktivitě není',
    },
  },
  unknown_report: {
    status: 404,
    title: { en: 'No such report', 'zh-CN': '没有该报告', cs: 'Takové hlášení neexistuje' },
  },
  note_required: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'Closing a case needs a note of what was found and done',
      'zh-CN': '结案须写明调查结果与处理情况',
      cs: 'Uzavření případu vyžaduje poznámku, co bylo zjištěno a uděláno',
    },
  },
  closed: {
    status: 409,
    clause: 'P7.3',
    title: { en: 'This case is already closed', 'zh-CN': '该案件已结案', cs: 'Tento případ je už uzavřen' },
  },
  forbidden: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Only the support team handles reports of activity that was not the person',
      'zh-CN': '只有客服人员处理本人报告的可疑活动',
      cs: 'Hlášení aktivity, která nebyla od dané osoby, vyřizuje pouze tým podpory',
    },
  },
});

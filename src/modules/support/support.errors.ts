import { defineErrors } from '../../kernel/errors.ts';

export const supportErrors = defineErrors('support', {
  account_not_found: {
    status: 404,
    title: {
      en: 'No account matches',
      'zh-CN': '未找到匹配的账号',
      cs: 'Žádný účet neodpovídá',
    },
  },
  ticket_required: {
    status: 400,
    clause: 'P4',
    title: {
      en: 'Give the ticket or call reference this look-up serves',
      'zh-CN': '请填写本次查询对应的工单或来电编号',
      cs: 'Uveďte číslo požadavku nebo hovoru, kvůli kterému účet hledáte',
    },
  },
});

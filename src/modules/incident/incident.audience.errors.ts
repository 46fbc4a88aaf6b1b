/** The refusals of an incident's scope (incident.audience.ts): the officer sees what to fix. */
import { defineErrors } from '../../kernel/errors.ts';

export const incidentAudienceErrors = defineErrors('incident', {
  scope_window: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'The time window of the scope must start no later than it ends',
      'zh-CN': '影响范围的时间段开始时间不能晚于结束时间',
      cs: 'Časové období rozsahu nesmí začínat později, než končí',
    },
  },
  scope_unknown_categories: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'The scope names data categories the data inventory does not have',
      'zh-CN': '影响范围中包含数据清单中不存在的数据类别',
      cs: 'Rozsah uvádí kategorie údajů, které soupis údajů nezná',
    },
  },
  scope_unknown_accounts: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'The scope names accounts that do not exist',
      'zh-CN': '影响范围中包含不存在的账号',
      cs: 'Rozsah uvádí účty, které neexistují',
    },
  },
});

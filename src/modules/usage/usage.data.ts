/** What the usage module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const usageData = declareSubjectData(import.meta.url, {
  usage_event: {
    what: 'One use of a page or a service, recorded with analytics consent (P3.4: cookie-derived): the analytics cookie’s random id, the person when signed in, the route, when',
    // Raw events serve only the daily aggregates: 90 days after they happened, or with the
    // account. Events from before a sign-in carry no person and lapse at their 90 days.
    retention: [
      { days: 90, after: 'given', at: 'occurred_at' },
      { days: 0, after: 'account-closed' },
    ],
    erase: { delete: 'rows' },
    export: labels('使用统计记录', 'Usage statistics records', 'Záznamy statistiky používání'),
    columns: {
      id: technical,
      visitor_id: {
        category: 'usage',
        label: labels('统计分析 Cookie 标识', 'Analytics cookie id', 'Identifikátor analytické cookie'),
      },
      subject_id: subjectId('person'),
      kind: { category: 'usage', label: labels('类型', 'Kind', 'Druh') },
      name: { category: 'usage', label: labels('页面或服务', 'Page or service', 'Stránka nebo služba') },
      occurred_at: { category: 'usage', label: labels('时间', 'When', 'Kdy') },
    },
  },
  usage_daily: {
    none: 'daily counts of uses per page or service (events, distinct visitors, distinct signed-in people): no id of anyone',
  },
});

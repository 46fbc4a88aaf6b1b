/** What the activity module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId } from '../../kernel/subject-data.ts';

export const activityData = declareSubjectData(import.meta.url, {
  suspicious_report: {
    what: 'A person’s report that a sign-in or a security change was not them: the entry (audit id and action), what was done, how support closed it',
    // The record of a possible account takeover: a year after support closed it.
    retention: { days: 365, after: 'closed', at: 'closed_at' },
    erase: { delete: 'rows' },
    export: labels('“这不是我”报告', '“This wasn’t me” reports', 'Hlášení „to jsem nebyl(a) já“'),
    columns: {
      id: { category: 'technical', label: labels('编号', 'Number', 'Číslo') },
      subject_id: subjectId('person'),
      entry_id: {
        category: 'account_security',
        label: labels('被报告的记录', 'Entry reported', 'Nahlášený záznam'),
      },
      entry_action: { category: 'account_security', label: labels('记录事项', 'What it was', 'Co to bylo') },
      entry_at: {
        category: 'account_security',
        label: labels('记录时间', 'When it happened', 'Kdy se to stalo'),
      },
      locale: { category: 'account_security', label: labels('语言', 'Language', 'Jazyk') },
      state: { category: 'account_security', label: labels('状态', 'State', 'Stav') },
      reported_at: { category: 'account_security', label: labels('报告时间', 'Reported', 'Nahlášeno') },
      sessions_ended: {
        category: 'account_security',
        label: labels('结束的会话', 'Sessions ended', 'Ukončené relace'),
      },
      closed_at: { category: 'account_security', label: labels('结案时间', 'Closed', 'Uzavřeno') },
      closed_by: { category: 'technical', subject: 'staff' },
      close_note: {
        category: 'account_security',
        label: labels('处理说明', 'What support found', 'Zjištění podpory'),
      },
    },
  },
});

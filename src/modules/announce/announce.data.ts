/** What the announce module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const announceData = declareSubjectData(import.meta.url, {
  announcement: {
    none: 'a platform-wide announcement (kind, words, dates, the staff id that published it): about nobody in particular',
  },
  announcement_dismissal: {
    what: 'Which announcements the person dismissed, so they no longer show in their pages',
    // An announcement lives weeks; a year covers the longest, after which the row says nothing.
    retention: { days: 365, after: 'given', at: 'dismissed_at' },
    erase: { delete: 'rows' },
    export: labels('已关闭的公告', 'Announcements I dismissed', 'Oznámení, která jsem skryl'),
    columns: {
      subject_id: subjectId('person'),
      announcement_id: technical,
      dismissed_at: { category: 'usage', label: labels('关闭时间', 'Dismissed', 'Skryto') },
    },
  },
});

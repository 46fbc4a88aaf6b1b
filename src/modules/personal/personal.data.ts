/** What the personalisation module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId } from '../../kernel/subject-data.ts';

export const personalData = declareSubjectData(import.meta.url, {
  personal_service: {
    what: 'A service a signed-in person started from the home page or signed in to, or marked as a favourite, recorded with personalisation consent (P3.4: cookie-derived)',
    // A year after last use, with the account, and at once when the consent is withdrawn
    // (the consent service's withdrawal hook deletes them in the withdrawal's transaction).
    retention: [
      { days: 365, after: 'last-used', at: 'last_used_at' },
      { days: 0, after: 'account-closed' },
    ],
    erase: { delete: 'rows' },
    export: labels('我的常用服务', 'My recent and favourite services', 'Moje nedávné a oblíbené služby'),
    columns: {
      subject_id: subjectId('person'),
      service_slug: { category: 'usage', label: labels('服务', 'Service', 'Služba') },
      favourite: { category: 'usage', label: labels('已收藏', 'Favourite', 'Oblíbená') },
      last_used_at: { category: 'usage', label: labels('最近使用', 'Last used', 'Naposledy použito') },
    },
  },
  personal_hall: {
    what: 'The service hall a signed-in person chose (from a city they picked, or nearest to a rounded device location they shared once): the hall only, never the place',
    retention: [
      { days: 365, after: 'given', at: 'chosen_at' },
      { days: 0, after: 'account-closed' },
    ],
    erase: { delete: 'rows' },
    export: labels('我选择的政务服务大厅', 'The service hall I chose', 'Mnou zvolená úřadovna'),
    columns: {
      subject_id: subjectId('person'),
      hall_slug: { category: 'usage', label: labels('服务大厅', 'Service hall', 'Úřadovna') },
      chosen_by: { category: 'usage', label: labels('选择方式', 'Chosen by', 'Zvoleno podle') },
      chosen_at: { category: 'usage', label: labels('选择时间', 'When', 'Kdy') },
    },
  },
  service_hall: {
    none: 'the catalogue of service halls: names, city, coordinates rounded to whole degrees',
  },
});

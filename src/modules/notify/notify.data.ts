/** What the notification module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const notifyData = declareSubjectData(import.meta.url, {
  notify_outbox: {
    what: 'A message owed to a person: template, parameters (a device kind, an authority; never a phone number), channel, language, due time, state',
    // Retention is declared, not yet enforced (no purge job before the retention issue).
    retention: { days: 180, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: labels('发给我的消息', 'Messages sent to me', 'Zprávy, které jsem dostal'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      template: { category: 'usage', label: labels('消息', 'Message', 'Zpráva') },
      params: { category: 'usage', label: labels('内容', 'Content', 'Obsah') },
      channel: { category: 'usage', label: labels('渠道', 'Channel', 'Kanál') },
      locale: { category: 'usage', label: labels('语言', 'Language', 'Jazyk') },
      state: { category: 'usage', label: labels('状态', 'State', 'Stav') },
      attempts: { category: 'usage' },
      last_error: { category: 'usage' },
      created_at: { category: 'usage', label: labels('时间', 'Created', 'Vytvořeno') },
      due_at: { category: 'usage', label: labels('计划发送', 'Due', 'Odeslat') },
      next_attempt_at: { category: 'usage' },
      sent_at: { category: 'usage', label: labels('发送时间', 'Sent', 'Odesláno') },
    },
  },
});

/** What the export module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const exportData = declareSubjectData(import.meta.url, {
  export_job: {
    what: 'One archive of "Download my data" a person asked for: its state, progress and, until the link expires, the two encrypted copies',
    // The copies go when the link expires (export.sweep); the row, the record that an archive
    // was made, 30 days after it ended (expired or failed: ended_at), or with the account.
    retention: [
      { days: 30, after: 'ended', at: 'ended_at' },
      { days: 30, after: 'account-closed' },
    ],
    erase: { delete: 'rows' },
    export: labels('我的数据副本', 'My archives of my data', 'Moje archivy mých údajů'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      locale: { category: 'usage', label: labels('语言', 'Language', 'Jazyk') },
      state: { category: 'usage', label: labels('状态', 'State', 'Stav') },
      sections_done: technical,
      sections_total: technical,
      requested_at: { category: 'usage', label: labels('申请时间', 'Asked for', 'Vyžádáno') },
      ready_at: { category: 'usage', label: labels('完成时间', 'Ready', 'Připraveno') },
      expires_at: { category: 'usage', label: labels('链接到期', 'Link expires', 'Odkaz vyprší') },
      ended_at: technical,
      failure: technical,
      key_id: { category: 'account_security' },
      wrapped_key: { category: 'account_security' },
      // A copy of everything exported (every category the person has, sensitive ones too):
      // encrypted, and deleted when the link expires.
      json_archive: { category: 'access_record' },
      html_archive: { category: 'access_record' },
      json_bytes: technical,
      html_bytes: technical,
      downloads: { category: 'usage', label: labels('下载次数', 'Downloads', 'Stažení') },
    },
  },
});

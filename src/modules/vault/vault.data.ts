/** What the vault holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const vaultData = declareSubjectData(import.meta.url, {
  vault_subject: {
    what: 'A person or organisation the platform holds data about, with the data key wrapped for them',
    retention: { days: 30, after: 'account-closed' },
    // Crypto-shredding: without the wrapped key no value of theirs can be read again.
    erase: { blank: ['wrapped_key', 'key_id'] },
    export: labels('账号主体', 'Data subject', 'Subjekt údajů'),
    columns: {
      id: {
        ...subjectId(['person', 'organisation']),
        label: labels('主体编号', 'Subject id', 'ID subjektu'),
      },
      kind: { category: 'identity', label: labels('类型', 'Kind', 'Druh') },
      key_id: { category: 'account_security' },
      wrapped_key: { category: 'account_security' },
      created_at: { category: 'identity', label: labels('创建时间', 'Created', 'Vytvořeno') },
      shredded_at: technical,
    },
  },
  vault_field: {
    what: 'One encrypted personal-data value (a field of the inventory) of a subject',
    retention: { byField: 'field' },
    erase: { delete: 'rows' },
    export: labels('个人信息', 'Personal information', 'Osobní údaje'),
    columns: {
      subject_id: subjectId(['person', 'organisation']),
      field: { category: 'technical', label: labels('项目', 'Item', 'Položka') },
      scope: { category: 'technical', label: labels('所属办件', 'Bound to', 'Patří k') },
      ciphertext: { category: 'per-field', label: labels('内容', 'Value', 'Hodnota') },
      lookup_unique: { category: 'per-field' },
      lookup_shared: { category: 'per-field' },
      source: { category: 'technical', label: labels('来源', 'Source', 'Zdroj') },
      collected_for: { category: 'technical', label: labels('收集目的', 'Collected for', 'Shromážděno pro') },
      collected_at: { category: 'technical', label: labels('收集时间', 'Collected', 'Shromážděno') },
      updated_at: { category: 'technical', label: labels('更新时间', 'Updated', 'Změněno') },
    },
  },
  vault_access: {
    what: 'One read, share, transfer or disclosure of a subject’s data: who, why, under which basis',
    // P6.2 three years, the longest a use may need proving (PIPL art. 56 keeps impact
    // assessments and processing records three years); a legal hold keeps it longer.
    retention: { days: 1095, after: 'given', at: 'occurred_at' },
    erase: { keep: 'access-record' },
    export: labels('谁访问了我的信息', 'Who accessed my data', 'Kdo přistupoval k mým údajům'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      occurred_at: { category: 'access_record', label: labels('时间', 'When', 'Kdy') },
      operation: { category: 'access_record', label: labels('操作', 'Operation', 'Operace') },
      actor_type: {
        category: 'access_record',
        label: labels('访问方类型', 'Accessed by (kind)', 'Kdo (druh)'),
      },
      actor_id: { category: 'access_record', subject: ['person', 'staff'] },
      actor_label: { category: 'access_record', label: labels('访问方', 'Accessed by', 'Kdo') },
      purpose: { category: 'access_record', label: labels('目的', 'Purpose', 'Účel') },
      basis: { category: 'access_record', label: labels('依据', 'Basis', 'Právní základ') },
      basis_ref: {
        category: 'access_record',
        label: labels('依据编号', 'Basis reference', 'Odkaz na základ'),
      },
      fields: { category: 'access_record', label: labels('项目', 'Items', 'Položky') },
      categories: { category: 'access_record', label: labels('类别', 'Categories', 'Kategorie') },
      visible_from: { category: 'access_record' },
      outcome: { category: 'access_record', label: labels('结果', 'Outcome', 'Výsledek') },
      refusal: {
        category: 'access_record',
        label: labels('拒绝原因', 'Reason refused', 'Důvod odmítnutí'),
      },
    },
  },
});

/** What the session module holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

const L = {
  device: labels('设备', 'Device', 'Zařízení'),
  method: labels('登录方式', 'Sign-in method', 'Způsob přihlášení'),
  expires: labels('到期时间', 'Expires', 'Vyprší'),
};

export const sessionData = declareSubjectData(import.meta.url, {
  citizen_session: {
    what: 'A portal session: token hash, coarse device label, the name the person gave it, keyed hash of a shared place, sign-in methods (amr)',
    // The last sessions feed the sign-in risk checks (risk.ts) and the person's session list.
    retention: [
      { days: 180, after: 'expired', at: 'expires_at' },
      { days: 180, after: 'ended', at: 'revoked_at' },
    ],
    erase: { delete: 'rows' },
    export: labels('登录会话', 'Sign-in sessions', 'Relace přihlášení'),
    columns: {
      id: technical,
      token_hash: { category: 'account_security' },
      subject_id: subjectId('person'),
      device: { category: 'session', label: L.device },
      // The person's own name for the device: shown to them and exported, never audited.
      name: { category: 'session', label: labels('设备名称', 'Device name', 'Název zařízení') },
      place_token: { category: 'location' },
      amr: { category: 'session', label: L.method },
      proof_failures: { category: 'account_security' },
      created_at: { category: 'session', label: labels('登录时间', 'Signed in', 'Přihlášeno') },
      proved_at: { category: 'session', label: labels('最近验证', 'Last proved', 'Naposledy ověřeno') },
      last_seen_at: { category: 'session', label: labels('最近使用', 'Last used', 'Naposledy použito') },
      expires_at: { category: 'session', label: L.expires },
      revoked_at: { category: 'session', label: labels('退出时间', 'Ended', 'Ukončeno') },
    },
  },
  known_device: {
    what: 'A browser the person signed in from: a hash of its device cookie and its coarse label',
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('已知设备', 'Known devices', 'Známá zařízení'),
    columns: {
      subject_id: subjectId('person'),
      device_hash: { category: 'session' },
      label: { category: 'session', label: L.device },
      first_seen: { category: 'session', label: labels('首次使用', 'First seen', 'Poprvé použito') },
    },
  },
});

/** What the sign-in module holds about a person (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

const atClosing = { days: 0, after: 'account-closed' } as const;
const L = {
  device: labels('设备', 'Device', 'Zařízení'),
  method: labels('登录方式', 'Sign-in method', 'Způsob přihlášení'),
  reasons: labels('原因', 'Reasons', 'Důvody'),
  secondStep: labels('第二步验证', 'Second step', 'Druhý krok'),
};

export const signInData = declareSubjectData(import.meta.url, {
  one_time_code: {
    what: 'An SMS code sent for registration, sign-in or reset: its hash, keyed to a hash of the phone number',
    // Kept a day for the daily sending limit, then deleted (sweep.ts).
    retention: { days: 1, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: { none: 'transient' },
    columns: {
      id: technical,
      phone_token: { category: 'contact', subject: 'person', holds: 'keyed-hash' },
      purpose: { category: 'account_security' },
      code_hash: { category: 'account_security' },
      attempts: { category: 'account_security' },
      created_at: { category: 'account_security' },
      expires_at: { category: 'account_security' },
      consumed_at: { category: 'account_security' },
    },
  },
  sign_in_challenge: {
    what: 'A pending second step of a risky sign-in (reasons, allowed methods, code hash, attempts)',
    retention: { days: 0, after: 'expired', at: 'expires_at' },
    erase: { delete: 'rows' },
    export: { none: 'transient' },
    columns: {
      state: { category: 'session' },
      id: technical,
      token_hash: { category: 'account_security' },
      subject_id: subjectId('person'),
      first_factor: { category: 'session' },
      device: { category: 'session' },
      device_hash: { category: 'session' },
      place_token: { category: 'location' },
      failed_before: { category: 'account_security' },
      reasons: { category: 'session' },
      methods: { category: 'account_security' },
      sms_code_hash: { category: 'account_security' },
      sms_sends: { category: 'account_security' },
      sms_sent_at: { category: 'account_security' },
      webauthn_challenge: { category: 'account_security' },
      attempts: { category: 'account_security' },
      created_at: { category: 'session' },
      expires_at: { category: 'session' },
      completed_at: { category: 'session' },
    },
  },
  login_alert: {
    what: 'A login alert: when, the coarse device label, how the sign-in was proved, why it was flagged',
    retention: { days: 180, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: labels('登录提醒', 'Sign-in alerts', 'Upozornění na přihlášení'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      device: { category: 'session', label: L.device },
      method: { category: 'session', label: L.method },
      second_step: { category: 'session', label: L.secondStep },
      reasons: { category: 'session', label: L.reasons },
      created_at: { category: 'session', label: labels('时间', 'When', 'Kdy') },
      // Whether and when the SMS went: the outbox row it names (notify.data.ts exports it).
      message_id: technical,
    },
  },
  totp_factor: {
    what: 'The person’s authenticator-app secret, sealed, and the last step used',
    retention: atClosing,
    erase: { delete: 'rows' },
    export: labels('验证器应用', 'Authenticator app', 'Ověřovací aplikace'),
    columns: {
      subject_id: subjectId('person'),
      key_id: { category: 'account_security' },
      secret_sealed: { category: 'account_security' },
      last_step: { category: 'account_security' },
      created_at: { category: 'account_security', label: labels('添加时间', 'Added', 'Přidáno') },
      confirmed_at: { category: 'account_security', label: labels('确认时间', 'Confirmed', 'Potvrzeno') },
    },
  },
  recovery_code: {
    what: 'Hashes of the person’s recovery codes and when each was used',
    retention: atClosing,
    erase: { delete: 'rows' },
    export: { none: 'credential' },
    columns: {
      subject_id: subjectId('person'),
      code_hash: { category: 'account_security' },
      created_at: { category: 'account_security' },
      used_at: { category: 'account_security' },
    },
  },
  passkey: {
    what: 'A passkey of the person: credential id, public key, the name they gave it, when last used',
    retention: atClosing,
    erase: { delete: 'rows' },
    export: labels('通行密钥', 'Passkeys', 'Přístupové klíče'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      credential_id: { category: 'account_security' },
      public_key: { category: 'account_security' },
      counter: { category: 'account_security' },
      transports: { category: 'account_security' },
      label: { category: 'session', label: labels('名称', 'Name', 'Název') },
      created_at: { category: 'account_security', label: labels('添加时间', 'Added', 'Přidáno') },
      last_used_at: {
        category: 'account_security',
        label: labels('最近使用', 'Last used', 'Naposledy použito'),
      },
    },
  },
  passkey_ceremony: {
    what: 'A pending passkey registration or sign-in challenge',
    retention: { days: 0, after: 'expired', at: 'expires_at' },
    erase: { delete: 'rows' },
    export: { none: 'transient' },
    columns: {
      token_hash: { category: 'account_security' },
      subject_id: subjectId('person'),
      kind: { category: 'account_security' },
      challenge: { category: 'account_security' },
      expires_at: { category: 'account_security' },
    },
  },
});

/** What the notification module holds about a subject (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData, labels, subjectId, technical } from '../../kernel/subject-data.ts';

export const notifyData = declareSubjectData(import.meta.url, {
  notify_notice: {
    none: 'a message to many people (template and the texts everybody shares: an incident notice, a transfer notice), never about one person',
  },
  notification: {
    what: 'A message to a person, as their inbox shows it: template, kind, parameters (a time, a device kind, an authority; never a phone number or an address), language, when it may be shown, whether it was read',
    // Retention is declared, not yet enforced (no purge job before the retention issue).
    retention: { days: 180, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: labels('我的消息', 'My messages', 'Moje zprávy'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      notice_id: technical,
      template: { category: 'usage', label: labels('消息', 'Message', 'Zpráva') },
      kind: { category: 'usage', label: labels('类别', 'Kind', 'Druh') },
      params: { category: 'usage', label: labels('内容', 'Content', 'Obsah') },
      locale: { category: 'usage', label: labels('语言', 'Language', 'Jazyk') },
      visible_from: { category: 'usage', label: labels('时间', 'Shown from', 'Zobrazeno od') },
      read_at: { category: 'usage', label: labels('阅读时间', 'Read', 'Přečteno') },
      created_at: { category: 'usage', label: labels('创建时间', 'Created', 'Vytvořeno') },
    },
  },
  notify_preference: {
    what: 'Which channels the person chose for each kind of message',
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('通知偏好', 'Notification choices', 'Volby oznámení'),
    columns: {
      subject_id: subjectId('person'),
      kind: { category: 'usage', label: labels('类别', 'Kind', 'Druh') },
      channels: { category: 'usage', label: labels('渠道', 'Channels', 'Kanály') },
      updated_at: { category: 'usage', label: labels('更新时间', 'Updated', 'Změněno') },
    },
  },
  notify_person: {
    what: 'The language to write to the person in when no request says it (a notice to many people)',
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('消息语言', 'Language of messages', 'Jazyk zpráv'),
    columns: {
      subject_id: subjectId('person'),
      locale: { category: 'usage', label: labels('语言', 'Language', 'Jazyk') },
      updated_at: technical,
    },
  },
  push_subscription: {
    what: 'A browser the person turned push notifications on in: the push service URL it gave, the keys its messages are encrypted to, a coarse browser label, the hash of its device cookie, the session it was made in, last success and failures',
    // Removed when the person stops it, when its session is ended, when the push service
    // says it is gone; one not used for 90 days (a browser long gone) lapses.
    retention: [
      { days: 90, after: 'last-used', at: 'last_success_at' },
      { days: 0, after: 'account-closed' },
    ],
    erase: { delete: 'rows' },
    export: labels('推送通知的浏览器', 'Browsers with push notifications', 'Prohlížeče s oznámeními push'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      device_hash: { category: 'session' },
      session_id: technical,
      // A way to reach the person (through their browser's push service): contact data,
      // though it names nobody to anyone but that service.
      endpoint: {
        category: 'contact',
        label: labels('推送服务地址', 'Push service address', 'Adresa služby push'),
      },
      // The encryption keys are the browser's: never exported (they let a holder read pushes).
      p256dh: { category: 'account_security' },
      auth: { category: 'account_security' },
      label: { category: 'session', label: labels('浏览器', 'Browser', 'Prohlížeč') },
      created_at: { category: 'session', label: labels('开启时间', 'Turned on', 'Zapnuto') },
      last_success_at: {
        category: 'usage',
        label: labels('最近送达', 'Last delivered', 'Naposledy doručeno'),
      },
      failures: { category: 'usage' },
    },
  },
  notify_email: {
    what: 'The person’s e-mail addresses as destinations: state (pending, verified, replaced, removed, cancelled), when verified, bounces; the address itself is in the vault (field email), the code only as a keyed hash',
    // Retention is declared, not yet enforced (no purge job before the retention issue).
    retention: { days: 30, after: 'account-closed' },
    erase: { delete: 'rows' },
    export: labels('电子邮箱记录', 'My e-mail addresses', 'Moje e-mailové adresy'),
    columns: {
      id: technical,
      subject_id: subjectId('person'),
      state: { category: 'contact', label: labels('状态', 'State', 'Stav') },
      code_hash: { category: 'account_security' },
      code_expires_at: { category: 'account_security' },
      code_attempts: { category: 'account_security' },
      codes_sent: { category: 'account_security' },
      code_sent_at: { category: 'account_security' },
      created_at: { category: 'contact', label: labels('添加时间', 'Added', 'Přidáno') },
      verified_at: { category: 'contact', label: labels('验证时间', 'Verified', 'Ověřeno') },
      ended_at: { category: 'contact', label: labels('结束时间', 'Ended', 'Ukončeno') },
      bounces: { category: 'contact', label: labels('退信次数', 'Bounces', 'Nedoručitelné zprávy') },
      bounced_at: { category: 'contact', label: labels('最近退信', 'Last bounce', 'Poslední nedoručení') },
      last_bounce_code: { category: 'contact' },
    },
  },
  notify_outbox: {
    what: 'One delivery of a message: which channel, due time, state, attempts, failure code (the message itself is the notification)',
    // Retention is declared, not yet enforced (no purge job before the retention issue).
    retention: { days: 180, after: 'given', at: 'created_at' },
    erase: { delete: 'rows' },
    export: labels('消息的投递', 'Deliveries of my messages', 'Doručení mých zpráv'),
    columns: {
      id: technical,
      notification_id: technical,
      subject_id: subjectId('person'),
      channel: { category: 'usage', label: labels('渠道', 'Channel', 'Kanál') },
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

/**
 * The one catalogue of messages Civitas sends to people (P7.3 login alerts, P5.3.3 disclosure
 * notices, P7.2i incident notices, …). Each template declares its kind (which decides whether
 * the person may opt out, and which channels they chose for it), the channels it may go by,
 * the clause it serves, the purpose under which its destination is read from the vault, its
 * parameters (typed: checked when a message is queued and again when it is sent), and its
 * title and text in every language of the platform. The text is channel-independent: the SMS
 * sends it as it is, mail puts the title in the subject and the text in its body (plain and
 * HTML), push shows both, and the inbox renders both in the reader's language.
 *
 * Rules:
 * - Parameters never carry personal data: no name, number, place or address; times are
 *   minutes in China Standard Time, devices a coarse "browser · system" label, recipients
 *   authorities. The destination (a phone number) is never a parameter: the channel reads
 *   it through the vault when it sends.
 * - Every text names exactly the template's parameters (notify.templates.test.ts), in
 *   zh-CN, en and cs. SMS operators hold the approved text per template and locale; these
 *   are the texts to register with them (docs/adapters/sms-gateway.md lists every SMS
 *   template, checked by the same test).
 * - The kind (`kinds`) says whether the person may turn the message off: security alerts,
 *   incident notices and notices the law owes (`legal`) cannot be turned off, only sent by
 *   another channel; policy changes, service updates and surveys can.
 * - A parameter is a string, or (for texts a person on the staff wrote once for everybody,
 *   such as an incident notice) one string per language: the reader's is shown, zh-CN when
 *   theirs is missing.
 */
import { z } from 'zod';
import type { PurposeId } from '../inventory/index.ts';
import type { Locale } from '../../kernel/locale.ts';

/**
 * The ways a message can reach a person outside the portal. Every message also lands in the
 * person's inbox (the notification itself), which is not a channel: it needs no destination
 * and cannot fail.
 */
export const channels = ['sms', 'mail', 'push'] as const;
export type ChannelId = (typeof channels)[number];

/**
 * The kinds of message, as the person chooses channels for them. `mandatory` kinds cannot be
 * switched off (the law or the person's safety requires that they hear); the person chooses
 * only their channels.
 */
export const kinds = {
  security: { mandatory: true },
  incident: { mandatory: true },
  legal: { mandatory: true },
  policy: { mandatory: false },
  service: { mandatory: false },
  survey: { mandatory: false },
} as const;
export type Kind = keyof typeof kinds;
export const isKind = (v: unknown): v is Kind => typeof v === 'string' && Object.hasOwn(kinds, v);

/** A text written once in every language (an incident notice): a parameter of that shape. */
export const localised = z.strictObject({
  'zh-CN': z.string().min(1).max(4000),
  en: z.string().min(1).max(4000).optional(),
  cs: z.string().min(1).max(4000).optional(),
});
export type Localised = z.output<typeof localised>;

/** `YYYY-MM-DD HH:mm`, China Standard Time: what the alerts say "when" with. */
const minute = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'YYYY-MM-DD HH:mm (China Standard Time)');
/** A coarse browser and system label ("Chrome · Android"), never a model or an address. */
const deviceKind = z.string().min(1).max(80);
/** Why a bulk transfer happens (P5.3.2; module transfer records one of these). */
export const transferReasons = ['merger', 'acquisition', 'operator-change', 'other'] as const;
/** The kinds of rights request and the steps the person is told of (modules/rights). */
export const rightsRequestKinds = [
  'copy',
  'correction',
  'deletion',
  'restriction',
  'objection',
  'explanation',
  'cancellation',
] as const;
export const rightsRequestSteps = [
  'received',
  'identity-confirmed',
  'in-progress',
  'awaiting-person',
  'fulfilled',
  'partly-fulfilled',
  'refused',
  'withdrawn',
] as const;
const securityChanges = [
  'totp-removed',
  'passkey-removed',
  'recovery-codes-regenerated',
  'password-changed',
  'phone-changed',
  'phone-recovered',
  'id-number-released',
] as const;
const emailChanges = ['added', 'changed', 'removed'] as const;

type Texts = Record<Locale, string>;

export interface TemplateSpec<S extends z.ZodRawShape = z.ZodRawShape> {
  kind: Kind;
  /** The channels it may go by; the person's choice for its kind picks among them. */
  channels: readonly ChannelId[];
  clause: string;
  /** The purpose the destination is read under (vault, necessity basis). */
  purpose: PurposeId;
  params: z.ZodObject<S>;
  /** The heading: mail subject, push title, inbox entry. `{param}` placeholders allowed. */
  titles: Texts;
  /** `{param}` placeholders; an enumerated parameter is shown by its label. */
  texts: Texts;
  labels?: Partial<Record<keyof S, Record<string, Texts>>>;
}

/** Keeps each template's channels literal, so the SMS channel can check its templates at compile time. */
const template = <S extends z.ZodRawShape, const C extends readonly ChannelId[]>(
  spec: TemplateSpec<S> & { channels: C },
) => spec;

export const templates = {
  'login-alert': template({
    kind: 'security',
    channels: ['sms', 'mail', 'push'],
    clause: 'P7.3',
    purpose: 'account-security',
    params: z.strictObject({ time: minute, device: deviceKind }),
    titles: {
      'zh-CN': '新设备登录提醒',
      en: 'New sign-in to your account',
      cs: 'Nové přihlášení k vašemu účtu',
    },
    texts: {
      'zh-CN':
        '您的 Civitas 账号于 {time}（北京时间）在 {device} 上登录。如非本人操作，请重置密码并查看“账号安全”。',
      en: 'Your Civitas account was signed in at {time} (Beijing time) from {device}. Not you? Reset your password and check Account security.',
      cs: 'K vašemu účtu Civitas se někdo přihlásil {time} (pekingského času) ze zařízení {device}. Nebyli jste to vy? Obnovte si heslo a zkontrolujte Zabezpečení účtu.',
    },
  }),
  'sign-in-attempts': template({
    kind: 'security',
    channels: ['sms', 'mail', 'push'],
    clause: 'P7.3',
    purpose: 'account-security',
    params: z.strictObject({ time: minute, device: deviceKind }),
    titles: {
      'zh-CN': '多次验证码错误',
      en: 'Several wrong sign-in codes',
      cs: 'Několik chybných přihlašovacích kódů',
    },
    texts: {
      'zh-CN':
        '{time}（北京时间）有人在 {device} 上登录您的 Civitas 账号时多次输错验证码。如非本人操作，您的密码可能已泄露：请重置密码并查看“账号安全”。',
      en: 'Several wrong codes were entered at {time} (Beijing time) while signing in to your Civitas account from {device}. Not you? Your password may be known: reset it and check Account security.',
      cs: '{time} (pekingského času) bylo při přihlašování k vašemu účtu Civitas ze zařízení {device} zadáno několik chybných kódů. Nebyli jste to vy? Vaše heslo může být prozrazeno: obnovte si ho a zkontrolujte Zabezpečení účtu.',
    },
  }),
  'registration-attempt': template({
    kind: 'security',
    channels: ['sms', 'mail', 'push'],
    clause: 'P7.3',
    purpose: 'account-security',
    params: z.strictObject({ time: minute }),
    titles: {
      'zh-CN': '有人试图用您的身份证号码注册',
      en: 'Someone tried to register with your ID number',
      cs: 'Někdo se pokusil registrovat s vaším číslem průkazu',
    },
    texts: {
      'zh-CN':
        '{time}（北京时间）有人试图用您的身份证号码注册 Civitas 账号。如是您本人，请直接登录或重置密码；如不是，请拨打 12345。',
      en: 'At {time} (Beijing time) someone tried to open a Civitas account with your ID number. If it was you, sign in or reset your password instead; if not, call 12345.',
      cs: '{time} (pekingského času) se někdo pokusil založit účet Civitas s vaším číslem průkazu. Pokud jste to byli vy, přihlaste se nebo si obnovte heslo; pokud ne, volejte 12345.',
    },
  }),
  'security-change': template({
    kind: 'security',
    channels: ['sms', 'mail', 'push'],
    clause: 'P7.3',
    purpose: 'account-security',
    params: z.strictObject({ time: minute, change: z.enum(securityChanges) }),
    titles: {
      'zh-CN': '账号保护已变更',
      en: "Your account's protection changed",
      cs: 'Zabezpečení vašeho účtu se změnilo',
    },
    texts: {
      'zh-CN':
        '您的 Civitas 账号保护于 {time}（北京时间）发生变更：{change}。如非本人操作，请重置密码并查看“账号安全”。',
      en: "Your Civitas account's protection changed at {time} (Beijing time): {change}. Not you? Reset your password and check Account security.",
      cs: 'Zabezpečení vašeho účtu Civitas se změnilo {time} (pekingského času): {change}. Nebyli jste to vy? Obnovte si heslo a zkontrolujte Zabezpečení účtu.',
    },
    labels: {
      change: {
        'totp-removed': {
          'zh-CN': '身份验证器应用已移除',
          en: 'authenticator app removed',
          cs: 'aplikace ověřovatele odebrána',
        },
        'passkey-removed': {
          'zh-CN': '通行密钥已移除',
          en: 'passkey removed',
          cs: 'přístupový klíč odebrán',
        },
        'recovery-codes-regenerated': {
          'zh-CN': '已生成新的恢复码',
          en: 'new recovery codes made',
          cs: 'vytvořeny nové záchranné kódy',
        },
        'password-changed': {
          'zh-CN': '密码已更改',
          en: 'password changed',
          cs: 'heslo změněno',
        },
        'phone-changed': {
          'zh-CN': '账号手机号码已更换',
          en: 'mobile number of the account replaced',
          cs: 'mobilní číslo účtu nahrazeno',
        },
        'phone-recovered': {
          'zh-CN': '账号手机号码已在政务服务大厅更换，所有登录已退出',
          en: 'mobile number of the account replaced at a service hall, every sign-in ended',
          cs: 'mobilní číslo účtu nahrazeno na kontaktním místě, všechna přihlášení ukončena',
        },
        'id-number-released': {
          'zh-CN': '身份证号码已从账号中移除（号码本人在政务服务大厅证明该号码属于本人）',
          en: 'ID number removed from the account (its holder proved at a service hall that it is theirs)',
          cs: 'číslo průkazu odebráno z účtu (jeho držitel na kontaktním místě prokázal, že je jeho)',
        },
      },
    },
  }),
  'disclosure-notice': template({
    kind: 'legal',
    channels: ['sms', 'mail', 'push'],
    clause: 'P5.3.3',
    purpose: 'service-provision',
    // Who received the data and when; the order's reference and the fields stay in the
    // access entry and the audit log, which the person sees under "who accessed my data".
    params: z.strictObject({ time: minute, recipient: z.string().min(1).max(120) }),
    titles: {
      'zh-CN': '依法提供个人信息告知',
      en: 'Your data was disclosed under a legal order',
      cs: 'Vaše údaje byly poskytnuty na základě právního příkazu',
    },
    texts: {
      'zh-CN':
        '{time}（北京时间），Civitas 依据法律文书向 {recipient} 提供了您的部分个人信息。详情请在 Civitas 查看“谁访问了我的数据”。',
      en: 'At {time} (Beijing time) Civitas disclosed some of your data to {recipient} under a legal order. See Who accessed my data on Civitas for details.',
      cs: '{time} (pekingského času) Civitas na základě právního příkazu poskytl část vašich údajů příjemci {recipient}. Podrobnosti najdete v Civitas v části Kdo přistupoval k mým údajům.',
    },
  }),
  'incident-notice': template({
    kind: 'incident',
    // Too long for an SMS: mail, push and the inbox (plus the home-page announcement).
    channels: ['mail', 'push'],
    clause: 'P7.2i',
    purpose: 'account-security',
    // What PIPL Art. 57 asks a notice to say, written once by the security officer for
    // everybody affected (zh-CN always; en and cs when written, else zh-CN is shown).
    params: z.strictObject({
      what: localised,
      data: localised,
      cause: localised,
      harm: localised,
      measures: localised,
      advice: localised,
      contact: localised,
    }),
    titles: {
      'zh-CN': 'Civitas 安全事件通知',
      en: 'Civitas security incident notice',
      cs: 'Oznámení o bezpečnostním incidentu v Civitas',
    },
    texts: {
      'zh-CN':
        '发生了什么：{what}\n涉及您的哪些信息：{data}\n原因：{cause}\n可能的影响：{harm}\n我们已采取的措施：{measures}\n您可以做什么：{advice}\n联系我们：{contact}',
      en: 'What happened: {what}\nWhich of your information: {data}\nThe cause: {cause}\nWhat harm it may do: {harm}\nWhat we have done: {measures}\nWhat you can do: {advice}\nHow to reach us: {contact}',
      cs: 'Co se stalo: {what}\nKterých vašich údajů se to týká: {data}\nPříčina: {cause}\nMožné následky: {harm}\nCo jsme udělali: {measures}\nCo můžete udělat vy: {advice}\nJak nás kontaktovat: {contact}',
    },
  }),
  // Told on the person's other channels (the address itself may be what an attacker changed);
  // the old address is told separately, directly (notify.email.ts).
  'email-changed': template({
    kind: 'security',
    channels: ['sms', 'push'],
    clause: 'P7.3',
    purpose: 'account-security',
    params: z.strictObject({ time: minute, change: z.enum(emailChanges) }),
    titles: {
      'zh-CN': '电子邮箱已变更',
      en: 'Your e-mail address changed',
      cs: 'Vaše e-mailová adresa se změnila',
    },
    texts: {
      'zh-CN':
        '您 Civitas 账号的电子邮箱于 {time}（北京时间）{change}。如非本人操作，请重置密码并查看“账号安全”。',
      en: 'The e-mail address of your Civitas account {change} at {time} (Beijing time). Not you? Reset your password and check Account security.',
      cs: 'E-mailová adresa vašeho účtu Civitas byla {time} (pekingského času) {change}. Nebyli jste to vy? Obnovte si heslo a zkontrolujte Zabezpečení účtu.',
    },
    labels: {
      change: {
        added: { 'zh-CN': '已添加', en: 'was added', cs: 'přidána' },
        changed: { 'zh-CN': '已更换', en: 'was changed', cs: 'změněna' },
        removed: { 'zh-CN': '已删除', en: 'was removed', cs: 'odebrána' },
      },
    },
  }),
  // P9.notice a material change of the privacy policy, before it takes effect; the summary of
  // what changes is on /privacy/versions (texts carry the version and date only).
  'policy-change': template({
    kind: 'policy',
    channels: ['mail', 'push'],
    clause: 'P9.notice',
    purpose: 'service-provision',
    params: z.strictObject({
      version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$/),
      effective: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD (China Standard Time)'),
    }),
    titles: {
      'zh-CN': 'Civitas 隐私政策将于 {effective} 变更',
      en: 'The Civitas privacy policy changes on {effective}',
      cs: 'Zásady ochrany osobních údajů Civitas se mění {effective}',
    },
    texts: {
      'zh-CN':
        'Civitas 隐私政策 {version} 版将于 {effective} 生效，其中有重大变更。变更摘要和全文见 Civitas 网站“隐私政策”页面。',
      en: 'Version {version} of the Civitas privacy policy takes effect on {effective} and changes it materially. The summary of what changes and the full text are on the privacy policy page of Civitas.',
      cs: 'Verze {version} zásad ochrany osobních údajů Civitas nabývá účinnosti {effective} a podstatně je mění. Shrnutí změn a celý text najdete na stránce zásad ochrany osobních údajů Civitas.',
    },
  }),
  // The first message a person may switch off: a department's news about a service they use.
  'service-update': template({
    kind: 'service',
    channels: ['mail', 'push'],
    clause: 'P1.1',
    purpose: 'service-provision',
    // The service's public name, never anything about the person.
    params: z.strictObject({ service: z.string().min(1).max(120) }),
    titles: {
      'zh-CN': '{service}有新消息',
      en: 'News from {service}',
      cs: 'Novinky ze služby {service}',
    },
    texts: {
      'zh-CN': '{service}有一条与您使用的服务相关的新消息。请登录 Civitas 查看。',
      en: '{service} has news about a service you use. Sign in to Civitas to read it.',
      cs: 'Služba {service} má novinky k službě, kterou používáte. Přihlaste se do Civitas a přečtěte si je.',
    },
  }),
  // P8.2 the person is told at each step of their rights request; the details are on the
  // request's page (the text carries codes only: no question or answer of the DPO).
  'rights-request-update': template({
    kind: 'legal',
    channels: ['mail', 'push'],
    clause: 'P8.2',
    purpose: 'service-provision',
    params: z.strictObject({
      kind: z.enum(rightsRequestKinds),
      step: z.enum(rightsRequestSteps),
      due: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD (China Standard Time)'),
    }),
    titles: {
      'zh-CN': '您的个人信息权利请求有新进展',
      en: 'News about your data rights request',
      cs: 'Novinky k vaší žádosti o uplatnění práv',
    },
    texts: {
      'zh-CN': '您的请求（{kind}）{step}。办理期限：{due}。详情请登录 Civitas 查看“我的请求”。',
      en: 'Your request ({kind}) {step}. Due by {due}. See My requests on Civitas for details.',
      cs: 'Vaše žádost ({kind}): {step}. Lhůta: {due}. Podrobnosti najdete v Civitas v části Moje žádosti.',
    },
    labels: {
      kind: {
        copy: { 'zh-CN': '获取副本', en: 'a copy of my data', cs: 'kopie mých údajů' },
        correction: { 'zh-CN': '更正', en: 'correction', cs: 'oprava' },
        deletion: { 'zh-CN': '删除', en: 'deletion', cs: 'výmaz' },
        restriction: { 'zh-CN': '限制处理', en: 'restriction of a use', cs: 'omezení zpracování' },
        objection: { 'zh-CN': '拒绝处理', en: 'objection to a use', cs: 'námitka proti zpracování' },
        explanation: { 'zh-CN': '解释说明', en: 'explanation of a decision', cs: 'vysvětlení rozhodnutí' },
        cancellation: { 'zh-CN': '注销账号', en: 'account cancellation', cs: 'zrušení účtu' },
      },
      step: {
        received: { 'zh-CN': '已收到', en: 'was received', cs: 'přijata' },
        'identity-confirmed': {
          'zh-CN': '已核验身份',
          en: 'has your identity confirmed',
          cs: 'totožnost ověřena',
        },
        'in-progress': { 'zh-CN': '正在办理', en: 'is being handled', cs: 'vyřizuje se' },
        'awaiting-person': {
          'zh-CN': '需要您补充信息',
          en: 'needs an answer from you',
          cs: 'potřebuje vaši odpověď',
        },
        fulfilled: { 'zh-CN': '已办结', en: 'was fulfilled', cs: 'vyřízena' },
        'partly-fulfilled': { 'zh-CN': '已部分办结', en: 'was partly fulfilled', cs: 'vyřízena zčásti' },
        refused: { 'zh-CN': '未予办理', en: 'was refused', cs: 'zamítnuta' },
        withdrawn: { 'zh-CN': '已撤回', en: 'was withdrawn', cs: 'vzata zpět' },
      },
    },
  }),
  // P8.5.cancel the person asked to close the account (the date it closes, how to undo) or undid it.
  'account-closure': template({
    kind: 'legal',
    channels: ['mail', 'push'],
    clause: 'P8.5.cancel',
    purpose: 'service-provision',
    params: z.strictObject({
      step: z.enum(['requested', 'undone']),
      date: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD (China Standard Time)'),
    }),
    titles: {
      'zh-CN': '您的 Civitas 账号注销申请',
      en: 'Closing your Civitas account',
      cs: 'Zrušení vašeho účtu Civitas',
    },
    texts: {
      'zh-CN':
        '您的账号注销申请{step}（原定注销日期：{date}）。如非本人操作，请登录 Civitas 查看“注销账号”或拨打 12345。',
      en: 'Your request to close your account {step} (closing date: {date}). Not you? Sign in to Civitas and open Close my account, or call 12345.',
      cs: 'Vaše žádost o zrušení účtu {step} (datum zrušení: {date}). Nebyli jste to vy? Přihlaste se do Civitas a otevřete Zrušit účet, nebo volejte 12345.',
    },
    labels: {
      step: {
        requested: {
          'zh-CN': '已受理，注销日期前可随时撤销',
          en: 'was received; you can undo it until the closing date',
          cs: 'byla přijata; do data zrušení ji můžete vzít zpět',
        },
        undone: {
          'zh-CN': '已撤销，账号继续有效',
          en: 'was undone: your account stays',
          cs: 'byla vzata zpět: váš účet zůstává',
        },
      },
    },
  }),
  // P8.1.export the archive the person asked for is ready; the link is on the page, never in the message.
  'export-ready': template({
    kind: 'legal',
    channels: ['mail', 'push'],
    clause: 'P8.1.export',
    purpose: 'service-provision',
    params: z.strictObject({
      until: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD (China Standard Time)'),
    }),
    titles: {
      'zh-CN': '您的个人信息副本已准备好',
      en: 'Your copy of your data is ready',
      cs: 'Kopie vašich údajů je připravena',
    },
    texts: {
      'zh-CN':
        '您申请的个人信息副本已准备好，可在 {until} 前登录 Civitas，在“下载我的信息”中下载（需再次确认身份）。如非本人申请，请修改密码并拨打 12345。',
      en: 'The copy of your data you asked for is ready. Sign in to Civitas and open Download my data before {until} (you confirm it is you first). Not you? Change your password and call 12345.',
      cs: 'Kopie vašich údajů, o kterou jste požádali, je připravena. Přihlaste se do Civitas a otevřete Stáhnout moje údaje do {until} (nejprve potvrdíte, že jste to vy). Nebyli jste to vy? Změňte heslo a volejte 12345.',
    },
  }),
  'transfer-notice': template({
    kind: 'legal',
    channels: ['sms', 'mail', 'push'],
    clause: 'P5.3.2',
    purpose: 'service-provision',
    // The receiving organisation, why, which categories (one text per language, from the
    // inventory's labels) and the planned date: the same for everybody told (a notice).
    params: z.strictObject({
      recipient: z.string().min(1).max(120),
      creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/),
      reason: z.enum(transferReasons),
      categories: localised,
      date: z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD (China Standard Time)'),
    }),
    titles: {
      'zh-CN': '您的个人信息将转移给其他机构',
      en: 'Your data is to be transferred to another organisation',
      cs: 'Vaše údaje mají být předány jiné organizaci',
    },
    texts: {
      'zh-CN':
        '因{reason}，Civitas 拟于 {date} 将您的以下个人信息转移给 {recipient}（统一社会信用代码 {creditCode}）：{categories}。在此之前，您可以提出异议、撤回同意或注销账号；如有疑问，请在 Civitas 联系我们或拨打 12345。',
      en: 'Because of {reason}, Civitas plans to transfer the following data of yours to {recipient} (unified social credit code {creditCode}) on {date}: {categories}. Before then you can object, withdraw your consent or close your account; questions: contact us on Civitas or call 12345.',
      cs: 'Z důvodu {reason} Civitas plánuje {date} předat tyto vaše údaje organizaci {recipient} (jednotný kód sociálního úvěru {creditCode}): {categories}. Do té doby můžete vznést námitku, odvolat souhlas nebo zrušit účet; s dotazy se na nás obraťte v Civitas nebo volejte 12345.',
    },
    labels: {
      reason: {
        merger: { 'zh-CN': '合并', en: 'a merger', cs: 'fúze' },
        acquisition: { 'zh-CN': '收购', en: 'an acquisition', cs: 'akvizice' },
        'operator-change': { 'zh-CN': '运营单位变更', en: 'a change of operator', cs: 'změny provozovatele' },
        other: {
          'zh-CN': '服务由其他机构接管',
          en: 'another organisation taking over the service',
          cs: 'převzetí služby jinou organizací',
        },
      },
    },
  }),
} as const;

export type TemplateId = keyof typeof templates;
export type ParamsOf<T extends TemplateId> = z.output<(typeof templates)[T]['params']>;
/** A message as a module queues it: which template, with which parameters. */
export type MessageBody = { [T in TemplateId]: { template: T; params: ParamsOf<T> } }[TemplateId];

export const isTemplate = (id: string): id is TemplateId => Object.hasOwn(templates, id);

/** The catalogue entry of a template, untyped by parameter (for code that handles any). */
export const specOf = (id: TemplateId): TemplateSpec => templates[id] as unknown as TemplateSpec;

/** A message's parameters as stored: strings, or one string per language. */
export type Params = Record<string, string | Localised>;

function fill(spec: TemplateSpec, text: string, locale: Locale, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (typeof value !== 'string') return value[locale] ?? value['zh-CN'];
    return spec.labels?.[name]?.[value]?.[locale] ?? value;
  });
}

/** The text of a message in one language, parameters filled in (enumerated ones by label). */
export function render(id: TemplateId, locale: Locale, params: Params): string {
  const spec = specOf(id);
  return fill(spec, spec.texts[locale], locale, params);
}

/** The heading of a message in one language (mail subject, push title, inbox entry). */
export function renderTitle(id: TemplateId, locale: Locale, params: Params): string {
  const spec = specOf(id);
  return fill(spec, spec.titles[locale], locale, params);
}

/** Whether the person may turn this template's kind off. */
export const isMandatory = (id: TemplateId): boolean => kinds[specOf(id).kind].mandatory;

/** When an alert says something happened: minutes, China Standard Time (no DST). */
export const beijingMinute = (d: Date): string =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The registry of purposes (P4). Every use of personal data names one.
 *
 * Rules:
 * - A purpose may touch only its declared categories (data minimisation).
 * - Data collected for purpose X may be used for purpose Y only if Y is X, or X declares
 *   Y compatible (P4.x); otherwise fresh consent for Y is needed.
 * - Purposes grounded in law (legal obligation, dispute, safety) carry their own legal
 *   basis and need no compatibility (PIPL art. 13 (3)-(5)); they must state that basis.
 * - Refusing a non-essential purpose never blocks an essential service.
 * - P7.2.roles a staff role may use personal data only for the purposes listed for it in
 *   `staffRolePurposes`; the vault makes staff actors from this table and checks every
 *   staff read against it.
 */
import type { Locale } from '../../kernel/locale.ts';
import type { Category } from './inventory.ts';

type Texts = Record<Locale, string>;

export interface PurposeSpec {
  essential: boolean;
  /** Grounded in law: needs a legal basis record instead of consent or compatibility. */
  legal?: boolean;
  categories: readonly Category[];
  compatibleWith: readonly PurposeId[];
  label: Texts;
  description: Texts;
}

export type PurposeId =
  | 'service-provision'
  | 'real-name-verification'
  | 'account-security'
  | 'customer-support'
  | 'offline-delivery'
  | 'personalisation'
  | 'service-improvement'
  | 'analytics-cookies'
  | 'personalisation-cookies'
  | 'survey'
  | 'legal-obligation'
  | 'dispute-resolution'
  | 'safety';

export const purposes: Record<PurposeId, PurposeSpec> = {
  'service-provision': {
    essential: true,
    categories: ['identity', 'contact', 'address', 'business', 'application'],
    compatibleWith: ['customer-support', 'account-security'],
    label: { 'zh-CN': '提供服务', en: 'Providing a service', cs: 'Poskytování služby' },
    description: {
      'zh-CN': '为您办理您所申请的服务。',
      en: 'Delivering a service you asked for.',
      cs: 'Poskytnutí služby, o kterou jste požádali.',
    },
  },
  'real-name-verification': {
    essential: true,
    categories: ['identity', 'id_document', 'biometric', 'financial', 'contact'],
    // Support confirms a caller by the verified name; its own categories keep the ID
    // number, face and bank data out of reach.
    compatibleWith: ['account-security', 'customer-support'],
    label: { 'zh-CN': '实名核验', en: 'Real-name verification', cs: 'Ověření totožnosti' },
    description: {
      'zh-CN': '按法律要求核验您的真实身份。',
      en: 'Confirming who you are, as the law requires for government services.',
      cs: 'Ověření, že jste to vy, jak zákon vyžaduje u veřejných služeb.',
    },
  },
  'account-security': {
    essential: true,
    categories: ['identity', 'contact', 'usage', 'location'],
    compatibleWith: ['customer-support'],
    label: {
      'zh-CN': '账号安全与防范欺诈',
      en: 'Account security and fraud prevention',
      cs: 'Zabezpečení účtu a prevence podvodů',
    },
    description: {
      'zh-CN': '识别账号风险、防范欺诈、处理安全事件。',
      en: 'Detecting account risk, preventing fraud and handling security incidents.',
      cs: 'Rozpoznání rizik účtu, prevence podvodů a řešení bezpečnostních incidentů.',
    },
  },
  'customer-support': {
    essential: true,
    categories: ['identity', 'contact', 'application'],
    compatibleWith: ['service-provision'],
    label: { 'zh-CN': '客户服务', en: 'Customer support', cs: 'Zákaznická podpora' },
    description: {
      'zh-CN': '处理您的咨询、投诉和求助。',
      en: 'Answering your questions, complaints and requests for help.',
      cs: 'Vyřízení vašich dotazů, stížností a žádostí o pomoc.',
    },
  },
  'offline-delivery': {
    essential: true,
    categories: ['application', 'address', 'contact'],
    compatibleWith: [],
    label: { 'zh-CN': '线下邮寄', en: 'Delivery by post', cs: 'Doručení poštou' },
    description: {
      'zh-CN': '将办理结果邮寄给您指定的联系人和地址。',
      en: 'Posting the result of an application to the contact and address you gave for it.',
      cs: 'Zaslání výsledku žádosti na kontakt a adresu, které jste pro ni uvedli.',
    },
  },
  personalisation: {
    essential: false,
    categories: ['usage', 'location', 'address'],
    compatibleWith: ['service-improvement'],
    label: { 'zh-CN': '个性化服务', en: 'Personalisation', cs: 'Přizpůsobení' },
    description: {
      'zh-CN': '根据语言、位置和使用习惯推荐服务。',
      en: 'Suggesting services by your language, location and use.',
      cs: 'Doporučování služeb podle jazyka, polohy a používání.',
    },
  },
  'service-improvement': {
    essential: false,
    categories: ['usage'],
    compatibleWith: [],
    label: { 'zh-CN': '改进服务', en: 'Service improvement', cs: 'Zlepšování služeb' },
    description: {
      'zh-CN': '统计分析使用情况以改进服务。',
      en: 'Analysing use to improve the services.',
      cs: 'Analýza používání pro zlepšení služeb.',
    },
  },
  // P3.2.optional the two optional cookie categories (web/http/cookie-choice.ts): a signed-in
  // person's answer on the banner or /cookies is a consent record for one of these.
  'analytics-cookies': {
    essential: false,
    categories: ['usage'],
    compatibleWith: ['service-improvement'],
    label: { 'zh-CN': '统计分析 Cookie', en: 'Analytics cookies', cs: 'Analytické cookies' },
    description: {
      'zh-CN': '用随机匿名标识统计页面和服务的使用情况，以改进服务。',
      en: 'Counting use of pages and services by a random pseudonymous id, to improve them.',
      cs: 'Počítání používání stránek a služeb podle náhodného pseudonymního identifikátoru.',
    },
  },
  'personalisation-cookies': {
    essential: false,
    categories: ['usage'],
    compatibleWith: ['personalisation'],
    label: { 'zh-CN': '个性化 Cookie', en: 'Personalisation cookies', cs: 'Cookies pro přizpůsobení' },
    description: {
      'zh-CN': '记住您最近使用和收藏的服务以及您选择的办事大厅（未登录时保存在本浏览器中）。',
      en: 'Remembering the services you used recently, your favourites and the service hall you chose (in this browser while you are not signed in).',
      cs: 'Zapamatování nedávno použitých a oblíbených služeb a zvoleného kontaktního místa (bez přihlášení v tomto prohlížeči).',
    },
  },
  survey: {
    essential: false,
    categories: ['contact'],
    compatibleWith: [],
    label: { 'zh-CN': '问卷调查', en: 'Surveys', cs: 'Průzkumy' },
    description: {
      'zh-CN': '邀请您参加满意度调查。',
      en: 'Inviting you to satisfaction surveys.',
      cs: 'Pozvánky k průzkumům spokojenosti.',
    },
  },
  'legal-obligation': {
    essential: true,
    legal: true,
    categories: [
      'identity',
      'id_document',
      'contact',
      'address',
      'business',
      'application',
      'financial',
      'location',
      'biometric',
      'minor',
      'usage',
    ],
    compatibleWith: [],
    label: { 'zh-CN': '履行法定义务', en: 'Legal obligation', cs: 'Právní povinnost' },
    description: {
      'zh-CN': '依据法律法规、司法或行政机关的要求。',
      en: 'Required by law, a court or an authority.',
      cs: 'Vyžaduje zákon, soud nebo úřad.',
    },
  },
  'dispute-resolution': {
    essential: true,
    legal: true,
    categories: ['identity', 'contact', 'application', 'id_document'],
    compatibleWith: [],
    label: { 'zh-CN': '解决争议', en: 'Resolving a dispute', cs: 'Řešení sporu' },
    description: {
      'zh-CN': '解决您与他人之间的纠纷。',
      en: 'Resolving a dispute between you and another party.',
      cs: 'Řešení sporu mezi vámi a jinou stranou.',
    },
  },
  safety: {
    essential: true,
    legal: true,
    categories: ['identity', 'contact', 'location', 'address'],
    compatibleWith: [],
    label: {
      'zh-CN': '保护人身和财产安全',
      en: 'Protecting life and property',
      cs: 'Ochrana života a majetku',
    },
    description: {
      'zh-CN': '紧急情况下为保护您或他人的生命财产安全。',
      en: 'Protecting your or others’ life or property in an emergency.',
      cs: 'Ochrana vašeho nebo cizího života či majetku v nouzi.',
    },
  },
};

/**
 * Least privilege (P7.2.roles): the purposes each staff role may use personal data for.
 * Administrators run the platform and auditors read the audit log: neither reads personal
 * data. Service-hall staff check people's documents in person and record the verification
 * (L4), nothing else. The staff roles are these keys (`StaffRole`, used by the staff module).
 */
export const staffRolePurposes = {
  support: ['customer-support'],
  dpo: ['customer-support', 'legal-obligation', 'dispute-resolution', 'safety'],
  administrator: [],
  auditor: [],
  service_hall: ['real-name-verification'],
  // Runs security incidents (P7.2i): scopes and counts people by id, reads no one's data.
  security_officer: [],
} as const satisfies Record<string, readonly PurposeId[]>;

export type StaffRole = keyof typeof staffRolePurposes;

/** May this staff role use personal data for this purpose? An unknown role may use none. */
export function mayUseFor(role: StaffRole, purpose: string): boolean {
  return (
    Object.hasOwn(staffRolePurposes, role) && (staffRolePurposes[role] as readonly string[]).includes(purpose)
  );
}

export function isPurpose(v: string): v is PurposeId {
  return Object.hasOwn(purposes, v);
}

/** P4.x: may data collected for `collectedFor` be used for `usedFor` without fresh consent? */
export function compatible(collectedFor: PurposeId, usedFor: PurposeId): boolean {
  return (
    collectedFor === usedFor ||
    purposes[collectedFor].compatibleWith.includes(usedFor) ||
    !!purposes[usedFor].legal
  );
}

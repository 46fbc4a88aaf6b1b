/**
 * The data inventory: every personal-data field the platform knows, declared once.
 * Export, retention and erasure read this list; nothing keeps a second one.
 *
 * Rules:
 * - A field belongs to one category; a category is sensitive personal information in the
 *   PIPL sense (art. 28: biometrics, financial accounts, whereabouts, ID numbers, data of
 *   minors under 14) or not. Reading a sensitive category on consent needs a separate,
 *   explicit consent (PIPL art. 29).
 * - Every field has a retention rule, read by the retention sweep.
 * - Fields marked `lookup` get a keyed blind index so they can be found without storing
 *   or querying plaintext.
 */
import type { RetentionEvent } from '../../kernel/subject-data.ts';
import type { Locale } from '../../kernel/locale.ts';

type Texts = Record<Locale, string>;

export const categories = {
  identity: {
    sensitive: false,
    label: { 'zh-CN': '身份信息', en: 'Identity', cs: 'Identifikační údaje' },
  },
  id_document: {
    sensitive: true,
    label: { 'zh-CN': '身份证件号码', en: 'ID document number', cs: 'Číslo dokladu totožnosti' },
  },
  contact: {
    sensitive: false,
    label: { 'zh-CN': '联系方式', en: 'Contact details', cs: 'Kontaktní údaje' },
  },
  biometric: {
    sensitive: true,
    label: { 'zh-CN': '人脸生物识别信息', en: 'Face biometrics', cs: 'Biometrické údaje obličeje' },
  },
  financial: {
    sensitive: true,
    label: { 'zh-CN': '金融账户', en: 'Financial accounts', cs: 'Finanční účty' },
  },
  business: {
    sensitive: false,
    label: { 'zh-CN': '企业登记信息', en: 'Business registration', cs: 'Údaje o registraci firmy' },
  },
  address: {
    sensitive: false,
    label: { 'zh-CN': '地址', en: 'Address', cs: 'Adresa' },
  },
  location: {
    sensitive: true,
    label: { 'zh-CN': '位置信息（行踪轨迹）', en: 'Location (whereabouts)', cs: 'Poloha (pohyb)' },
  },
  minor: {
    sensitive: true,
    label: {
      'zh-CN': '不满十四周岁未成年人信息',
      en: 'Data of a minor under 14',
      cs: 'Údaje dítěte mladšího 14 let',
    },
  },
  usage: {
    sensitive: false,
    label: {
      'zh-CN': 'Cookie 与使用记录',
      en: 'Cookies and usage records',
      cs: 'Cookies a záznamy o používání',
    },
  },
  application: {
    sensitive: false,
    label: { 'zh-CN': '办事申请信息', en: 'Application data', cs: 'Údaje žádostí' },
  },
  // The categories below are records the platform keeps about a person as it serves them
  // (subject-data declarations, `*.data.ts`); no purpose reads them through the vault.
  account_security: {
    sensitive: false,
    label: {
      'zh-CN': '账号安全信息（密码、验证方式）',
      en: 'Account security (password, sign-in factors)',
      cs: 'Zabezpečení účtu (heslo, způsoby přihlášení)',
    },
  },
  session: {
    sensitive: false,
    label: {
      'zh-CN': '登录、会话与设备记录',
      en: 'Sign-ins, sessions and devices',
      cs: 'Přihlášení, relace a zařízení',
    },
  },
  consent_record: {
    sensitive: false,
    label: { 'zh-CN': '同意与选择记录', en: 'Consents and choices', cs: 'Souhlasy a volby' },
  },
  access_record: {
    sensitive: false,
    label: {
      'zh-CN': '访问与提供记录',
      en: 'Records of access and disclosure',
      cs: 'Záznamy o přístupu a poskytnutí',
    },
  },
  linked_account: {
    sensitive: false,
    label: { 'zh-CN': '关联账号', en: 'Linked accounts', cs: 'Propojené účty' },
  },
  authorisation: {
    sensitive: false,
    label: {
      'zh-CN': '企业授权与代办身份',
      en: 'Authorisations to act for a company',
      cs: 'Oprávnění jednat za firmu',
    },
  },
  verification_record: {
    sensitive: false,
    label: {
      'zh-CN': '实名核验记录',
      en: 'Real-name verification records',
      cs: 'Záznamy o ověření totožnosti',
    },
  },
  rights_request: {
    sensitive: false,
    label: {
      'zh-CN': '行使个人信息权利的请求',
      en: 'Requests to exercise data rights',
      cs: 'Žádosti o uplatnění práv k údajům',
    },
  },
  employment: {
    sensitive: false,
    label: { 'zh-CN': '工作人员信息', en: 'Staff member details', cs: 'Údaje pracovníka' },
  },
} as const satisfies Record<string, { sensitive: boolean; label: Texts }>;

export type Category = keyof typeof categories;

/**
 * Retention rules of the vault's fields: days after a named event (kernel/subject-data.ts
 * `retentionEvents`). `account-lifetime` data lives while the account does and for the
 * grace period after it is closed; `application` data follows its case.
 */
export const retentionRules = {
  'account-lifetime': { days: 30, after: 'account-closed' },
  'verification-attempt': { days: 90, after: 'decided' },
  // P7.2 a face image is kept only on its separate consent: it goes when that consent ends.
  'biometric-capture': { days: 0, after: 'withdrawn' },
  'application-case': { days: 365 * 3, after: 'closed' },
  // P2.4 a delivery contact serves one posting: kept for complaints about the delivery only,
  // and at the latest 180 days after it was given (delivery_request, delivery.data.ts).
  'delivery-case': { days: 30, after: 'closed' },
  'usage-record': { days: 180, after: 'given' },
  'location-use': { days: 1, after: 'given' },
} as const satisfies Record<string, { days: number; after: RetentionEvent }>;

export type RetentionRule = keyof typeof retentionRules;

export interface FieldSpec {
  category: Category;
  retention: RetentionRule;
  /** Keyed blind index for lookups (unique: one subject per value). */
  lookup?: 'unique' | 'shared';
  label: Texts;
}

export const fields = {
  name: {
    category: 'identity',
    retention: 'account-lifetime',
    label: { 'zh-CN': '姓名', en: 'Name', cs: 'Jméno' },
  },
  id_number: {
    category: 'id_document',
    retention: 'account-lifetime',
    lookup: 'unique',
    label: { 'zh-CN': '居民身份证号码', en: 'Resident ID number', cs: 'Rodné číslo / číslo průkazu' },
  },
  birth_date: {
    category: 'identity',
    retention: 'account-lifetime',
    label: { 'zh-CN': '出生日期', en: 'Date of birth', cs: 'Datum narození' },
  },
  phone: {
    category: 'contact',
    retention: 'account-lifetime',
    lookup: 'unique',
    label: { 'zh-CN': '手机号码', en: 'Mobile number', cs: 'Mobilní číslo' },
  },
  email: {
    category: 'contact',
    retention: 'account-lifetime',
    lookup: 'shared',
    label: { 'zh-CN': '电子邮箱', en: 'E-mail', cs: 'E-mail' },
  },
  face_image: {
    category: 'biometric',
    retention: 'biometric-capture',
    label: { 'zh-CN': '人脸图像', en: 'Face image', cs: 'Snímek obličeje' },
  },
  face_template: {
    category: 'biometric',
    retention: 'account-lifetime',
    label: { 'zh-CN': '人脸特征模板', en: 'Face template', cs: 'Biometrická šablona obličeje' },
  },
  bank_account: {
    category: 'financial',
    retention: 'verification-attempt',
    label: { 'zh-CN': '银行卡号', en: 'Bank card number', cs: 'Číslo bankovní karty' },
  },
  company_registration: {
    category: 'business',
    retention: 'account-lifetime',
    lookup: 'unique',
    label: {
      'zh-CN': '统一社会信用代码',
      en: 'Unified social credit code',
      cs: 'Jednotný kód sociálního kreditu',
    },
  },
  company_name: {
    category: 'business',
    retention: 'account-lifetime',
    label: { 'zh-CN': '企业名称', en: 'Company name', cs: 'Název firmy' },
  },
  address: {
    category: 'address',
    retention: 'account-lifetime',
    label: { 'zh-CN': '联系地址', en: 'Address', cs: 'Adresa' },
  },
  delivery_contact: {
    category: 'application',
    retention: 'delivery-case',
    label: {
      'zh-CN': '邮寄联系人及地址',
      en: 'Delivery contact and address',
      cs: 'Kontakt a adresa pro doručení',
    },
  },
  location: {
    category: 'location',
    retention: 'location-use',
    label: { 'zh-CN': '位置', en: 'Location', cs: 'Poloha' },
  },
  guardian_of_minor: {
    category: 'minor',
    retention: 'account-lifetime',
    label: { 'zh-CN': '未成年人监护关系', en: 'Guardianship of a minor', cs: 'Poručnictví nezletilého' },
  },
  cookie_preferences: {
    category: 'usage',
    retention: 'usage-record',
    label: { 'zh-CN': 'Cookie 偏好', en: 'Cookie preferences', cs: 'Předvolby cookies' },
  },
  usage_record: {
    category: 'usage',
    retention: 'usage-record',
    label: { 'zh-CN': '使用记录', en: 'Usage record', cs: 'Záznam o používání' },
  },
  application_data: {
    category: 'application',
    retention: 'application-case',
    label: { 'zh-CN': '申请材料', en: 'Application details', cs: 'Údaje žádosti' },
  },
} as const satisfies Record<string, FieldSpec>;

export type Field = keyof typeof fields;

export function isField(v: string): v is Field {
  return Object.hasOwn(fields, v);
}

export function categoryOf(field: Field): Category {
  return fields[field].category;
}

export function isSensitive(field: Field): boolean {
  return categories[fields[field].category].sensitive;
}

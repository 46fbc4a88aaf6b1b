/**
 * Page texts in the three languages. `en` defines the keys; the other catalogues are typed
 * against it, so a missing translation is a compile error.
 */
import type { Locale } from './locales.ts';

const en = {
  'site.name': 'Civitas',
  'site.tagline': 'One identity for every public service',
  'nav.skip': 'Skip to content',
  'nav.main': 'Main',
  'nav.home': 'Home',
  'nav.privacy': 'Privacy',
  'nav.console': 'Staff console',
  'nav.language': 'Language',
  'home.title': 'Public services, one sign-in',
  'home.intro':
    'Register once, prove who you are, and use the online services of every department: housing provident fund, social security, public transport, tax and household registration. Your personal data is read only for a stated purpose, and you can see every access.',
  'home.how': 'How it works',
  'home.how.register': 'Register once with your mobile number.',
  'home.how.verify': 'Verify your identity at the level a service needs.',
  'home.how.use': 'Sign in to any department service with the same account.',
  'home.services': 'Services',
  'home.services.empty': 'No services are published yet.',
  'privacy.title': 'Privacy policy',
  'privacy.placeholder':
    'The full privacy policy is being prepared. It will explain what we collect and why, how you give and withdraw consent, whom data is shared with, how long it is kept and how you exercise your rights.',
  'privacy.contact': 'Questions: call the 12345 hotline or use the feedback form.',
  'footer.hotline': 'Government service hotline: 12345',
  'admin.login.title': 'Staff sign-in',
  'admin.login.email': 'Work e-mail',
  'admin.login.password': 'Password',
  'admin.login.submit': 'Sign in',
  'admin.login.failed': 'The e-mail or password is not correct.',
  'admin.login.note': 'For platform staff only. Citizens sign in from the portal.',
  'admin.home.title': 'Staff console',
  'admin.home.signedIn': 'Signed in as',
  'admin.home.role': 'Role',
  'admin.home.audit': 'Audit log',
  'admin.home.entries': 'Entries',
  'admin.home.checkpoint': 'Last signed checkpoint',
  'admin.home.never': 'none yet',
  'admin.home.recent': 'Recent entries',
  'admin.home.col.time': 'Time',
  'admin.home.col.actor': 'Actor',
  'admin.home.col.action': 'Action',
  'admin.home.col.clause': 'Clause',
  'admin.signOut': 'Sign out',
  'role.administrator': 'Administrator',
  'role.support': 'Customer support',
  'role.dpo': 'Data-protection officer',
  'role.auditor': 'Auditor',
  'error.heading': 'Something went wrong',
  'error.code': 'Error code',
  'error.home': 'Back to the home page',
} as const;

export type MessageKey = keyof typeof en;
type Catalogue = Record<MessageKey, string>;

const zhCN: Catalogue = {
  'site.name': '市民通',
  'site.tagline': '一个身份，办理所有政务服务',
  'nav.skip': '跳到正文',
  'nav.main': '主导航',
  'nav.home': '首页',
  'nav.privacy': '隐私政策',
  'nav.console': '工作人员控制台',
  'nav.language': '语言',
  'home.title': '政务服务，一次登录',
  'home.intro':
    '一次注册、核验身份，即可使用各部门的网上服务：住房公积金、社会保障、公共交通、税务和户籍。您的个人信息只会为明确的目的被读取，每一次访问您都能看到。',
  'home.how': '如何使用',
  'home.how.register': '用手机号码注册一次。',
  'home.how.verify': '按服务所需的级别完成实名核验。',
  'home.how.use': '用同一账号登录任何部门的服务。',
  'home.services': '服务',
  'home.services.empty': '暂无已发布的服务。',
  'privacy.title': '隐私政策',
  'privacy.placeholder':
    '完整的隐私政策正在制定中。它将说明我们收集哪些信息及其原因、您如何给予和撤回同意、信息与谁共享、保存多久以及您如何行使权利。',
  'privacy.contact': '如有疑问，请拨打 12345 热线或使用意见反馈。',
  'footer.hotline': '政务服务便民热线：12345',
  'admin.login.title': '工作人员登录',
  'admin.login.email': '工作邮箱',
  'admin.login.password': '密码',
  'admin.login.submit': '登录',
  'admin.login.failed': '邮箱或密码不正确。',
  'admin.login.note': '仅供平台工作人员使用。市民请从门户登录。',
  'admin.home.title': '工作人员控制台',
  'admin.home.signedIn': '当前登录',
  'admin.home.role': '角色',
  'admin.home.audit': '审计日志',
  'admin.home.entries': '记录数',
  'admin.home.checkpoint': '最近签名检查点',
  'admin.home.never': '尚无',
  'admin.home.recent': '最近记录',
  'admin.home.col.time': '时间',
  'admin.home.col.actor': '操作者',
  'admin.home.col.action': '操作',
  'admin.home.col.clause': '条款',
  'admin.signOut': '退出登录',
  'role.administrator': '管理员',
  'role.support': '客户服务',
  'role.dpo': '个人信息保护负责人',
  'role.auditor': '审计员',
  'error.heading': '出错了',
  'error.code': '错误代码',
  'error.home': '返回首页',
};

const cs: Catalogue = {
  'site.name': 'Civitas',
  'site.tagline': 'Jedna identita pro všechny veřejné služby',
  'nav.skip': 'Přeskočit na obsah',
  'nav.main': 'Hlavní navigace',
  'nav.home': 'Domů',
  'nav.privacy': 'Soukromí',
  'nav.console': 'Konzole pracovníků',
  'nav.language': 'Jazyk',
  'home.title': 'Veřejné služby s jedním přihlášením',
  'home.intro':
    'Zaregistrujte se jednou, prokažte svou totožnost a používejte online služby všech úřadů: bytový fond, sociální zabezpečení, veřejnou dopravu, daně a evidenci obyvatel. Vaše osobní údaje se čtou jen pro uvedený účel a každý přístup uvidíte.',
  'home.how': 'Jak to funguje',
  'home.how.register': 'Jednou se zaregistrujete svým mobilním číslem.',
  'home.how.verify': 'Ověříte svou totožnost na úrovni, kterou služba vyžaduje.',
  'home.how.use': 'Stejným účtem se přihlásíte ke službě kteréhokoli úřadu.',
  'home.services': 'Služby',
  'home.services.empty': 'Zatím nejsou zveřejněny žádné služby.',
  'privacy.title': 'Zásady ochrany osobních údajů',
  'privacy.placeholder':
    'Úplné zásady ochrany osobních údajů připravujeme. Vysvětlí, co shromažďujeme a proč, jak udělit a odvolat souhlas, komu se údaje předávají, jak dlouho se uchovávají a jak uplatnit svá práva.',
  'privacy.contact': 'Dotazy: volejte linku 12345 nebo použijte formulář zpětné vazby.',
  'footer.hotline': 'Linka státní správy: 12345',
  'admin.login.title': 'Přihlášení pracovníků',
  'admin.login.email': 'Pracovní e-mail',
  'admin.login.password': 'Heslo',
  'admin.login.submit': 'Přihlásit',
  'admin.login.failed': 'E-mail nebo heslo není správné.',
  'admin.login.note': 'Jen pro pracovníky platformy. Občané se přihlašují na portálu.',
  'admin.home.title': 'Konzole pracovníků',
  'admin.home.signedIn': 'Přihlášen(a) jako',
  'admin.home.role': 'Role',
  'admin.home.audit': 'Auditní záznam',
  'admin.home.entries': 'Záznamů',
  'admin.home.checkpoint': 'Poslední podepsaný kontrolní bod',
  'admin.home.never': 'zatím žádný',
  'admin.home.recent': 'Poslední záznamy',
  'admin.home.col.time': 'Čas',
  'admin.home.col.actor': 'Kdo',
  'admin.home.col.action': 'Akce',
  'admin.home.col.clause': 'Článek',
  'admin.signOut': 'Odhlásit',
  'role.administrator': 'Správce',
  'role.support': 'Zákaznická podpora',
  'role.dpo': 'Pověřenec pro ochranu osobních údajů',
  'role.auditor': 'Auditor',
  'error.heading': 'Něco se nepovedlo',
  'error.code': 'Kód chyby',
  'error.home': 'Zpět na úvodní stránku',
};

const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en, cs };

export type Translate = (key: MessageKey) => string;

export function translator(locale: Locale): Translate {
  const c = catalogues[locale];
  return (key) => c[key];
}

/** Each language's own name, shown in the switch in that language. */
export const localeNames: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English', cs: 'Čeština' };

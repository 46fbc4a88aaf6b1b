/**
 * Page texts in the three languages. Each area of the portal keeps its texts in its own
 * file (`messages.<area>.ts`, made with `area()`): `en` defines the keys, the other
 * languages are typed against it, so a missing translation is a compile error; a key
 * defined by two areas fails at start.
 */
import type { Locale } from '../../kernel/locale.ts';
import { area, type Area } from './area.ts';
import { companyTexts } from './messages.company.ts';
import { linkedTexts } from './messages.linked.ts';
import { accountsArea } from './messages.accounts.ts';
import { ssoArea } from './messages.sso.ts';
import { servicesArea } from './messages.services.ts';
import { verify } from './messages.verify.ts';
import { security } from './messages.security.ts';
import { deliveryArea } from './messages.delivery.ts';
import { pushArea } from './messages.push.ts';
import { hardening } from './messages.hardening.ts';
import { secpages } from './messages.secpages.ts';
import { wordsArea } from './messages.words.ts';
import { formsArea } from './messages.forms.ts';
import { placeArea } from './messages.place.ts';
import { emailArea } from './messages.email.ts';
import { consoleTransfersArea } from './messages.console-transfers.ts';
import { consoleDeliveriesArea } from './messages.console-deliveries.ts';
import { consoleIncidentsArea } from './messages.console-incidents.ts';
import { staffRoles } from './messages.staffroles.ts';
import { inboxArea } from './messages.inbox.ts';
import { rightsArea } from './messages.rights.ts';
import { reclaimArea } from './messages.reclaim.ts';
import { connectedArea } from './messages.connected.ts';
import { accountMeArea } from './messages.account-me.ts';
import { exportArea } from './messages.export.ts';
import { closureArea } from './messages.closure.ts';
import { phoneLostArea } from './messages.phone-lost.ts';
import { retentionArea } from './messages.retention.ts';
import { policyArea } from './messages.policy.ts';
import { cookiesArea } from './messages.cookies.ts';
import { personalArea } from './messages.personal.ts';

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
  'nav.myData': 'My data',
  'login.title': 'Sign in',
  'me.contact': 'Questions about your rights: call the 12345 hotline or use the feedback form.',
  'me.access.title': 'Who accessed my data',
  'me.access.intro':
    'Every time someone other than you read, shared or disclosed your personal data, it is listed here, newest first: who, which kinds of data, for what purpose and on what basis.',
  'me.access.empty': 'Nobody else has accessed your data.',
  'me.access.when': 'When',
  'me.access.who': 'Who',
  'me.access.what': 'Data',
  'me.access.purpose': 'Purpose',
  'me.access.basis': 'Basis',
  'me.access.older': 'Older entries',
  'me.consents.title': 'My consents',
  'me.consents.intro':
    'What you have agreed to, and what each consent covers. You can withdraw a consent at any time; it takes effect at once.',
  'me.consents.empty': 'You have not given any consent.',
  'me.consents.purpose': 'Purpose',
  'me.consents.data': 'Data',
  'me.consents.recipient': 'Recipient',
  'me.consents.given': 'Given',
  'me.consents.status': 'Status',
  'me.consents.platform': 'This platform',
  'me.consents.active': 'Active',
  'me.consents.withdrawn': 'Withdrawn',
  'me.consents.expired': 'Expired',
  'me.consents.withdraw': 'Withdraw',
  'me.consents.effect.optional':
    'If you withdraw, this optional use stops. Every service you use keeps working.',
  'me.consents.effect.essential':
    'If you withdraw, this use stops; the service may then ask you to provide the data another way.',
  'me.consents.done': 'Consent withdrawn. It no longer applies anywhere on the platform.',
  'op.read': 'Read',
  'op.share': 'Shared',
  'op.transfer': 'Transferred',
  'op.disclose': 'Disclosed',
  'basis.self': 'You',
  'basis.consent': 'Your consent',
  'basis.necessity': 'Needed for a service you asked for',
  'basis.legal-obligation': 'Legal obligation',
  'basis.dispute': 'Resolving a dispute',
  'basis.safety': 'Protecting life or property',
  'actor.system': 'The platform (automated)',
  'auth.phone': 'Mobile number',
  'auth.password': 'Password',
  'auth.code': 'SMS code',
  'auth.name': 'Name (as on your ID card)',
  'auth.idNumber': 'Resident ID number',
  'auth.sendCode': 'Send code',
  'auth.codeSent': 'We sent a 6-digit code to your phone. It is valid for 5 minutes.',
  'auth.register.title': 'Register',
  'auth.register.intro':
    'Register once to use every department’s online services. Your name and ID number are stored encrypted and used to confirm who you are.',
  'auth.register.submit': 'Create account',
  'auth.register.passwordHint': '8 to 128 characters.',
  'auth.login.submit': 'Sign in',
  'auth.login.withCode': 'Sign in with an SMS code instead',
  'auth.login.withPassword': 'Sign in with your password instead',
  'auth.login.noAccount': 'No account yet? Register',
  'auth.logout': 'Sign out',
  'auth.reset.title': 'Reset your password',
  'auth.reset.intro':
    'We send a code to the mobile number of your account. The new password signs you out on every other device.',
  'auth.reset.submit': 'Set new password',
  'auth.newPassword': 'New password',
  'auth.login.forgot': 'Forgot your password?',
  'me.security.title': 'Account security',
  'me.security.intro': 'Where your account is signed in now. Sign out any device you do not recognise.',
  'me.security.device': 'Device',
  'me.security.since': 'Signed in',
  'me.security.current': 'This device',
  'me.security.signOut': 'Sign out',
  'me.security.signOutOthers': 'Sign out everywhere else',
  'me.security.ended': 'Signed out.',
} as const;

type Catalogue = Record<keyof typeof en, string>;

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
  'nav.myData': '我的信息',
  'login.title': '登录',
  'me.contact': '对个人信息权利有疑问：请拨打 12345 热线或使用意见反馈。',
  'me.access.title': '谁访问了我的信息',
  'me.access.intro':
    '除您本人以外，任何人读取、共享或披露您的个人信息，都会按时间倒序列在这里：由谁、哪些信息、为了什么目的、依据什么。',
  'me.access.empty': '尚无他人访问您的信息。',
  'me.access.when': '时间',
  'me.access.who': '访问方',
  'me.access.what': '信息类别',
  'me.access.purpose': '目的',
  'me.access.basis': '依据',
  'me.access.older': '更早的记录',
  'me.consents.title': '我的授权同意',
  'me.consents.intro': '您同意过的事项及每项同意的范围。您可以随时撤回同意，撤回立即生效。',
  'me.consents.empty': '您尚未给予任何同意。',
  'me.consents.purpose': '目的',
  'me.consents.data': '信息',
  'me.consents.recipient': '接收方',
  'me.consents.given': '同意时间',
  'me.consents.status': '状态',
  'me.consents.platform': '本平台',
  'me.consents.active': '有效',
  'me.consents.withdrawn': '已撤回',
  'me.consents.expired': '已过期',
  'me.consents.withdraw': '撤回',
  'me.consents.effect.optional': '撤回后，此项非必要用途将停止；您使用的各项服务不受影响。',
  'me.consents.effect.essential': '撤回后，此项用途将停止；相关服务可能需要您以其他方式提供信息。',
  'me.consents.done': '已撤回同意，该同意在平台各处均不再适用。',
  'op.read': '读取',
  'op.share': '共享',
  'op.transfer': '转让',
  'op.disclose': '公开披露',
  'basis.self': '您本人',
  'basis.consent': '您的同意',
  'basis.necessity': '办理您申请的服务所必需',
  'basis.legal-obligation': '履行法定义务',
  'basis.dispute': '解决争议',
  'basis.safety': '保护生命财产安全',
  'actor.system': '平台（自动处理）',
  'auth.phone': '手机号码',
  'auth.password': '密码',
  'auth.code': '短信验证码',
  'auth.name': '姓名（与身份证一致）',
  'auth.idNumber': '居民身份证号码',
  'auth.sendCode': '获取验证码',
  'auth.codeSent': '我们已向您的手机发送 6 位验证码，5 分钟内有效。',
  'auth.register.title': '注册',
  'auth.register.intro': '注册一次即可使用各部门的网上服务。您的姓名和身份证号码加密保存，用于核验您的身份。',
  'auth.register.submit': '创建账号',
  'auth.register.passwordHint': '8 至 128 个字符。',
  'auth.login.submit': '登录',
  'auth.login.withCode': '改用短信验证码登录',
  'auth.login.withPassword': '改用密码登录',
  'auth.login.noAccount': '还没有账号？去注册',
  'auth.logout': '退出登录',
  'auth.reset.title': '重置密码',
  'auth.reset.intro': '我们将向您账号的手机号码发送验证码。设置新密码后，其他所有设备将退出登录。',
  'auth.reset.submit': '设置新密码',
  'auth.newPassword': '新密码',
  'auth.login.forgot': '忘记密码？',
  'me.security.title': '账号安全',
  'me.security.intro': '您的账号当前在以下设备登录。如有不认识的设备，请将其退出。',
  'me.security.device': '设备',
  'me.security.since': '登录时间',
  'me.security.current': '本设备',
  'me.security.signOut': '退出',
  'me.security.signOutOthers': '退出其他所有设备',
  'me.security.ended': '已退出。',
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
  'nav.myData': 'Moje údaje',
  'login.title': 'Přihlášení',
  'me.contact': 'Dotazy k vašim právům: volejte linku 12345 nebo použijte formulář zpětné vazby.',
  'me.access.title': 'Kdo přistupoval k mým údajům',
  'me.access.intro':
    'Pokaždé, když vaše osobní údaje četl, sdílel nebo zpřístupnil někdo jiný než vy, je to zde uvedeno, nejnovější nahoře: kdo, jaké údaje, k jakému účelu a na jakém základě.',
  'me.access.empty': 'K vašim údajům zatím nikdo jiný nepřistupoval.',
  'me.access.when': 'Kdy',
  'me.access.who': 'Kdo',
  'me.access.what': 'Údaje',
  'me.access.purpose': 'Účel',
  'me.access.basis': 'Základ',
  'me.access.older': 'Starší záznamy',
  'me.consents.title': 'Moje souhlasy',
  'me.consents.intro':
    'S čím jste souhlasili a co který souhlas pokrývá. Souhlas můžete kdykoli odvolat; odvolání platí okamžitě.',
  'me.consents.empty': 'Zatím jste neudělili žádný souhlas.',
  'me.consents.purpose': 'Účel',
  'me.consents.data': 'Údaje',
  'me.consents.recipient': 'Příjemce',
  'me.consents.given': 'Uděleno',
  'me.consents.status': 'Stav',
  'me.consents.platform': 'Tato platforma',
  'me.consents.active': 'Platný',
  'me.consents.withdrawn': 'Odvolán',
  'me.consents.expired': 'Vypršel',
  'me.consents.withdraw': 'Odvolat',
  'me.consents.effect.optional':
    'Po odvolání toto nepovinné použití skončí. Všechny služby, které používáte, fungují dál.',
  'me.consents.effect.essential':
    'Po odvolání toto použití skončí; služba vás pak může požádat o údaje jinou cestou.',
  'me.consents.done': 'Souhlas byl odvolán. Na platformě už nikde neplatí.',
  'op.read': 'Čtení',
  'op.share': 'Sdílení',
  'op.transfer': 'Předání',
  'op.disclose': 'Zpřístupnění',
  'basis.self': 'Vy',
  'basis.consent': 'Váš souhlas',
  'basis.necessity': 'Nutné pro službu, o kterou jste požádali',
  'basis.legal-obligation': 'Právní povinnost',
  'basis.dispute': 'Řešení sporu',
  'basis.safety': 'Ochrana života nebo majetku',
  'actor.system': 'Platforma (automaticky)',
  'auth.phone': 'Mobilní číslo',
  'auth.password': 'Heslo',
  'auth.code': 'SMS kód',
  'auth.name': 'Jméno (jako v průkazu)',
  'auth.idNumber': 'Číslo občanského průkazu',
  'auth.sendCode': 'Poslat kód',
  'auth.codeSent': 'Na váš telefon jsme poslali šestimístný kód. Platí 5 minut.',
  'auth.register.title': 'Registrace',
  'auth.register.intro':
    'Zaregistrujte se jednou a používejte online služby všech úřadů. Jméno a číslo průkazu ukládáme šifrovaně a slouží k ověření vaší totožnosti.',
  'auth.register.submit': 'Vytvořit účet',
  'auth.register.passwordHint': '8 až 128 znaků.',
  'auth.login.submit': 'Přihlásit',
  'auth.login.withCode': 'Přihlásit se raději SMS kódem',
  'auth.login.withPassword': 'Přihlásit se raději heslem',
  'auth.login.noAccount': 'Ještě nemáte účet? Zaregistrujte se',
  'auth.logout': 'Odhlásit',
  'auth.reset.title': 'Obnovení hesla',
  'auth.reset.intro':
    'Pošleme kód na mobilní číslo vašeho účtu. Nové heslo vás odhlásí na všech ostatních zařízeních.',
  'auth.reset.submit': 'Nastavit nové heslo',
  'auth.newPassword': 'Nové heslo',
  'auth.login.forgot': 'Zapomněli jste heslo?',
  'me.security.title': 'Zabezpečení účtu',
  'me.security.intro': 'Kde je váš účet právě přihlášen. Zařízení, které nepoznáváte, odhlaste.',
  'me.security.device': 'Zařízení',
  'me.security.since': 'Přihlášeno',
  'me.security.current': 'Toto zařízení',
  'me.security.signOut': 'Odhlásit',
  'me.security.signOutOthers': 'Odhlásit všude jinde',
  'me.security.ended': 'Odhlášeno.',
};

const areas = {
  core: area(en, zhCN, cs),
  company: companyTexts,
  linked: linkedTexts,
  accounts: accountsArea,
  sso: ssoArea,
  services: servicesArea,
  verify,
  staffRoles,
  security,
  delivery: deliveryArea,
  hardening,
  secpages,
  words: wordsArea,
  forms: formsArea,
  place: placeArea,
  push: pushArea,
  email: emailArea,
  inbox: inboxArea,
  accountMe: accountMeArea,
  export: exportArea,
  closure: closureArea,
  phoneLost: phoneLostArea,
  retention: retentionArea,
  policy: policyArea,
  cookies: cookiesArea,
  personal: personalArea,
  consoleTransfers: consoleTransfersArea,
  consoleDeliveries: consoleDeliveriesArea,
  consoleIncidents: consoleIncidentsArea,
  rights: rightsArea,
  reclaim: reclaimArea,
  connected: connectedArea,
};

type KeysOf<A> = A extends Area<infer K> ? K : never;
export type MessageKey = { [N in keyof typeof areas]: KeysOf<(typeof areas)[N]> }[keyof typeof areas];

function merge(locale: Locale): Record<MessageKey, string> {
  const out: Record<string, string> = {};
  for (const [name, a] of Object.entries(areas)) {
    for (const [k, v] of Object.entries(a[locale])) {
      if (Object.hasOwn(out, k)) throw new Error(`message ${k} is defined twice (area ${name})`);
      out[k] = v;
    }
  }
  return out as Record<MessageKey, string>;
}

const catalogues: Record<Locale, Record<MessageKey, string>> = {
  'zh-CN': merge('zh-CN'),
  en: merge('en'),
  cs: merge('cs'),
};

export type Translate = (key: MessageKey) => string;

export function translator(locale: Locale): Translate {
  const c = catalogues[locale];
  return (key) => c[key];
}

/** Each language's own name, shown in the switch in that language. */
export const localeNames: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English', cs: 'Čeština' };

/**
 * Plain words (issue 12, group 3): the privacy policy's sections, which refusals link to
 * instead of showing clause IDs, and the names of things the server only knows as codes.
 */
import { area } from './area.ts';

export const wordsArea = area(
  {
    'privacy.sections': 'Contents',
    'privacy.P1.title': '1. What this policy covers',
    'privacy.P1.body':
      'It covers the portal, signing in, and every department service you reach through it. A department that uses the platform for its own service also has its own privacy terms, shown before you agree.',
    'privacy.P2.title': '2. What we collect',
    'privacy.P2.body':
      'To register and prove who you are: your name, ID number, mobile number and, for higher levels, a face check or a bank card. Your location only when you use a service that needs it. A service asks only for the fields it has declared, and a delivery address only when you choose delivery by post.',
    'privacy.P3.title': '3. How we collect it, and cookies',
    'privacy.P3.body':
      'From what you type, from records made as you use the platform, and from partners that check your identity. We set only the cookies the site needs to work; anything else only with your consent.',
    'privacy.P4.title': '4. How we use it',
    'privacy.P4.body':
      'Every use of your data names a purpose: providing the service, keeping your account safe, improving services. A use unrelated to the original purpose needs your consent again.',
    'privacy.P5.title': '5. Sharing, transfer and disclosure',
    'privacy.P5.body':
      'We share data with a department only with your consent, or when the law requires it. Partners receive only the data they need. Every disclosure is logged and you are told about it.',
    'privacy.P6.title': '6. Where and how long we keep it',
    'privacy.P6.body':
      'Your data stays on servers in mainland China and is kept only as long as each category needs; then it is deleted.',
    'privacy.P7.title': '7. How we protect it',
    'privacy.P7.body':
      'Passwords are hashed, sensitive fields are encrypted, staff see only what their role needs, and every access is recorded in a tamper-evident log. You can see your devices, sign out everywhere and add a second step.',
    'privacy.P8.title': '8. Your rights',
    'privacy.P8.body':
      'You can see, correct, download and delete your information, withdraw consent at any time, and close your account. We check it is you before we act.',
    'privacy.P9.title': '9. Changes to this policy',
    'privacy.P9.body': 'We tell you about important changes before they take effect.',
    'privacy.P10.title': '10. Contact us',
    'privacy.P10.body': 'Call the 12345 hotline or use the feedback form.',
    'clause.why': 'Why: see our privacy policy,',
    'device.browser': 'A web browser',
    'device.unknown': 'An unknown device',
  },
  {
    'privacy.sections': '目录',
    'privacy.P1.title': '一、本政策的适用范围',
    'privacy.P1.body':
      '本政策适用于门户网站、登录，以及您通过门户使用的各部门服务。使用本平台提供自有服务的部门另有其隐私条款，会在您同意前向您展示。',
    'privacy.P2.title': '二、我们收集哪些信息',
    'privacy.P2.body':
      '注册和实名认证需要您的姓名、身份证号、手机号；更高认证等级还需要人脸核验或银行卡。仅在您使用需要位置的服务时收集位置信息。各服务只能索取其登记的字段；只有您选择邮寄时才收集收件地址。',
    'privacy.P3.title': '三、我们如何收集信息，以及 Cookie 的使用',
    'privacy.P3.body':
      '信息来自您填写的内容、您使用平台时产生的记录，以及为您核验身份的合作方。我们只设置网站运行所必需的 Cookie，其他 Cookie 须经您同意。',
    'privacy.P4.title': '四、我们如何使用信息',
    'privacy.P4.body':
      '每一次使用您的信息都有明确的用途：提供服务、保障账户安全、改进服务。与原用途无关的使用须再次征得您的同意。',
    'privacy.P5.title': '五、共享、转让和公开披露',
    'privacy.P5.body':
      '只有经您同意或法律要求时，我们才向部门共享信息。合作方只获得必要的信息。每一次披露都会记录并告知您。',
    'privacy.P6.title': '六、信息的存储地点和期限',
    'privacy.P6.body': '您的信息存储在中国大陆境内的服务器上，各类信息仅在必要期限内保存，期满即删除。',
    'privacy.P7.title': '七、我们如何保护信息',
    'privacy.P7.body':
      '密码经哈希处理，敏感字段加密存储，工作人员只能查看其职责所需的信息，每次访问都记入防篡改日志。您可以查看登录设备、退出所有设备并开启二次验证。',
    'privacy.P8.title': '八、您的权利',
    'privacy.P8.body':
      '您可以查看、更正、下载和删除您的信息，随时撤回同意，并注销账户。我们会先核实您的身份再办理。',
    'privacy.P9.title': '九、本政策的变更',
    'privacy.P9.body': '重要变更生效前，我们会提前通知您。',
    'privacy.P10.title': '十、联系我们',
    'privacy.P10.body': '请拨打 12345 热线或使用意见反馈。',
    'clause.why': '依据：请参阅隐私政策',
    'device.browser': '网页浏览器',
    'device.unknown': '未知设备',
  },
  {
    'privacy.sections': 'Obsah',
    'privacy.P1.title': '1. Na co se zásady vztahují',
    'privacy.P1.body':
      'Na portál, přihlašování a všechny služby úřadů, do kterých se přes něj dostanete. Úřad, který platformu používá pro vlastní službu, má i vlastní podmínky ochrany údajů; uvidíte je dřív, než souhlasíte.',
    'privacy.P2.title': '2. Jaké údaje shromažďujeme',
    'privacy.P2.body':
      'K registraci a ověření totožnosti: jméno, číslo občanského průkazu, číslo mobilního telefonu a pro vyšší úrovně ověření obličeje nebo bankovní karty. Polohu jen tehdy, když používáte službu, která ji potřebuje. Služba smí žádat jen o údaje, které ohlásila, a doručovací adresu jen tehdy, když zvolíte doručení poštou.',
    'privacy.P3.title': '3. Jak údaje získáváme a soubory cookie',
    'privacy.P3.body':
      'Z toho, co vyplníte, ze záznamů vzniklých při používání platformy a od partnerů, kteří ověřují vaši totožnost. Nastavujeme jen soubory cookie nezbytné pro chod webu; jakékoli další jen s vaším souhlasem.',
    'privacy.P4.title': '4. K čemu údaje používáme',
    'privacy.P4.body':
      'Každé použití vašich údajů má uvedený účel: poskytnutí služby, ochrana vašeho účtu, zlepšování služeb. Použití, které s původním účelem nesouvisí, vyžaduje nový souhlas.',
    'privacy.P5.title': '5. Sdílení, předávání a zpřístupnění',
    'privacy.P5.body':
      'Úřadu údaje poskytneme jen s vaším souhlasem nebo když to vyžaduje zákon. Partneři dostanou jen nezbytné údaje. Každé zpřístupnění se zaznamená a dozvíte se o něm.',
    'privacy.P6.title': '6. Kde a jak dlouho údaje uchováváme',
    'privacy.P6.body':
      'Vaše údaje zůstávají na serverech v pevninské Číně a uchovávají se jen tak dlouho, jak to daná kategorie vyžaduje; potom se smažou.',
    'privacy.P7.title': '7. Jak údaje chráníme',
    'privacy.P7.body':
      'Hesla ukládáme jako otisky, citlivé údaje šifrujeme, pracovníci vidí jen to, co jejich role vyžaduje, a každý přístup se zapisuje do záznamu, který nelze nepozorovaně změnit. Vidíte svá zařízení, můžete se odhlásit všude a přidat druhý krok přihlášení.',
    'privacy.P8.title': '8. Vaše práva',
    'privacy.P8.body':
      'Své údaje můžete zobrazit, opravit, stáhnout i smazat, souhlas kdykoli odvolat a účet zrušit. Než vyhovíme, ověříme, že jste to vy.',
    'privacy.P9.title': '9. Změny těchto zásad',
    'privacy.P9.body': 'O důležitých změnách vás informujeme předem, než začnou platit.',
    'privacy.P10.title': '10. Kontakt',
    'privacy.P10.body': 'Volejte linku 12345 nebo použijte formulář zpětné vazby.',
    'clause.why': 'Proč: viz zásady ochrany osobních údajů,',
    'device.browser': 'Webový prohlížeč',
    'device.unknown': 'Neznámé zařízení',
  },
);

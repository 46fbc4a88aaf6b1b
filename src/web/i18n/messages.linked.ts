/** Texts of linked accounts (P7.1): the section on /me/security and sign-in with another provider. */
import { area } from './area.ts';

export const linkedTexts = area(
  {
    'linked.title': 'Linked accounts',
    'linked.intro':
      'Sign in with an account you already have at another provider. We keep only the provider, the date and a keyed fingerprint of that account: no name or number from it.',
    'linked.empty': 'No account is linked.',
    'linked.provider': 'Provider',
    'linked.since': 'Linked on',
    'linked.link': 'Link',
    'linked.unlink': 'Unlink',
    'linked.done': 'The account is linked. You can now sign in with it.',
    'linked.removed': 'The link is removed. That account no longer signs you in.',
    'linked.signInWith': 'Sign in with',
    'linked.others': 'Or use an account you linked',
    'linked.notLinked.title': 'This account is not linked to Civitas',
    'linked.notLinked.body':
      'No Civitas account is linked to the account you used. Sign in with your mobile number first, then open the security page, find “Linked accounts” and choose “Link”. From then on it signs you in. We never create an account from another provider: registration needs your real name and ID number.',
    'linked.failed.title': 'Sign-in with the other provider did not complete',
    'linked.back': 'Back to sign-in',
    'linked.security': 'Go to the security page',
    'linked.continue': 'Continuing to the provider to sign in there…',
    'linked.continueLink': 'Continue',
  },
  {
    'linked.title': '关联账号',
    'linked.intro':
      '使用您在其他平台已有的账号登录。我们只保存平台名称、关联日期和该账号的加密指纹，不保存其中的姓名或号码。',
    'linked.empty': '尚未关联任何账号。',
    'linked.provider': '平台',
    'linked.since': '关联日期',
    'linked.link': '关联',
    'linked.unlink': '解除关联',
    'linked.done': '账号已关联，现在可以用它登录。',
    'linked.removed': '已解除关联，该账号不能再登录您的账户。',
    'linked.signInWith': '使用以下账号登录：',
    'linked.others': '或使用已关联的账号',
    'linked.notLinked.title': '该账号尚未关联',
    'linked.notLinked.body':
      '您使用的账号没有关联任何 Civitas 账户。请先用手机号登录，打开安全页面，在“关联账号”中选择“关联”，此后即可用它登录。我们不会用其他平台的账号自动注册：注册需要您的真实姓名和身份证号码。',
    'linked.failed.title': '通过其他平台登录未完成',
    'linked.back': '返回登录',
    'linked.security': '前往安全页面',
    'linked.continue': '正在前往该平台登录…',
    'linked.continueLink': '继续',
  },
  {
    'linked.title': 'Propojené účty',
    'linked.intro':
      'Přihlaste se účtem, který už máte u jiného poskytovatele. Uchováváme jen poskytovatele, datum a klíčovaný otisk toho účtu: žádné jméno ani číslo z něj.',
    'linked.empty': 'Žádný účet není propojen.',
    'linked.provider': 'Poskytovatel',
    'linked.since': 'Propojeno',
    'linked.link': 'Propojit',
    'linked.unlink': 'Zrušit propojení',
    'linked.done': 'Účet je propojen. Nyní se jím můžete přihlásit.',
    'linked.removed': 'Propojení je zrušeno. Ten účet vás už nepřihlásí.',
    'linked.signInWith': 'Přihlásit přes',
    'linked.others': 'Nebo použijte propojený účet',
    'linked.notLinked.title': 'Tento účet není s Civitas propojen',
    'linked.notLinked.body':
      'Účet, který jste použili, není propojen s žádným účtem Civitas. Nejprve se přihlaste mobilním číslem, otevřete stránku zabezpečení, najděte „Propojené účty“ a zvolte „Propojit“. Od té doby vás přihlásí. Účet od jiného poskytovatele nikdy nezakládáme: registrace vyžaduje vaše skutečné jméno a číslo průkazu.',
    'linked.failed.title': 'Přihlášení přes jiného poskytovatele se nedokončilo',
    'linked.back': 'Zpět na přihlášení',
    'linked.security': 'Přejít na stránku zabezpečení',
    'linked.continue': 'Pokračujete k poskytovateli, kde se přihlásíte…',
    'linked.continueLink': 'Pokračovat',
  },
);

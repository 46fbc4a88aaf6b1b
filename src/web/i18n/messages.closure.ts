/** Closing my account (P8.5.cancel): /me/close, its preview, cooling-off and undo. */
import { area } from './area.ts';

export const closureArea = area(
  {
    'close.title': 'Close my account',
    'close.link': 'Close my account',
    'close.intro':
      'Before you decide, here is what closing your account does. You can undo it until the day it closes.',
    'close.services': 'Services that will lose you',
    'close.servicesIntro':
      'These services signed you in through Civitas or received your data. They will be told your account was closed, and you will be signed out of them.',
    'close.noServices': 'No service has signed you in through Civitas or received your data.',
    'close.policy': 'its privacy policy',
    'close.erased': 'What is deleted',
    'close.erasedIntro':
      'Your personal data is deleted and the key that encrypts it is destroyed, so no copy (backups included) can be read again:',
    'close.kept': 'What is kept, and why',
    'close.keptIntro':
      'The law or the platform’s own accountability keeps a few records, without anything that names you once your data is deleted:',
    'close.when': 'When',
    'close.whenText':
      'If you close your account today, it closes on {closes} unless you undo it before then. The legal deadline for closing it is {due} (15 working days).',
    'close.first': 'Before you close it',
    'close.download': 'Download a copy of your data first: you cannot get it afterwards.',
    'close.downloadLink': 'Download my data',
    'close.blocked':
      'You cannot close your account yet: you are the legal representative of these companies on Civitas. Once the company’s new legal representative has bound it to their own account, you can close yours.',
    'close.understood':
      'I understand that my account and my data will be deleted on that day and that this cannot be undone afterwards.',
    'close.understoodMissing': 'Tick the box to confirm you understand what closing your account does.',
    'close.submit': 'Close my account',
    'close.why':
      'Closing your account deletes your data, so we ask you to prove again that it is you. Enter your password, or a code from your authenticator app or sent to your phone.',
    'reauth.why.close': 'closing your account',
    'close.waiting':
      'Your account will close on {closes}. Until then it works as before, and you can change your mind.',
    'close.waitingAsked': 'You asked on {asked}.',
    'close.undo': 'Keep my account (undo the closure)',
    'close.undone': 'Your account stays open. Nothing was deleted.',
    'close.support':
      'You can also ask customer service to close your account: call 12345 or visit a service hall with your ID card.',
  },
  {
    'close.title': '注销账号',
    'close.link': '注销账号',
    'close.intro': '在您决定之前，请先了解注销账号会带来哪些结果。在注销日期之前，您可以随时撤销。',
    'close.services': '将失去您的服务',
    'close.servicesIntro':
      '以下服务曾通过 Civitas 为您登录或接收过您的信息。注销后将通知这些服务您的账号已注销，并使您退出登录。',
    'close.noServices': '没有服务通过 Civitas 为您登录或接收过您的信息。',
    'close.policy': '其隐私政策',
    'close.erased': '将被删除的内容',
    'close.erasedIntro': '您的个人信息将被删除，用于加密的密钥将被销毁，任何副本（包括备份）都无法再被读取：',
    'close.kept': '将被保留的内容及原因',
    'close.keptIntro':
      '根据法律或平台自身的问责要求，会保留少量记录；删除您的信息后，这些记录中不再有能识别您的内容：',
    'close.when': '时间',
    'close.whenText':
      '如果您今天申请注销，账号将于 {closes} 注销，在此之前您可以撤销。依法办理注销的最晚期限为 {due}（15 个工作日）。',
    'close.first': '注销之前',
    'close.download': '请先下载您的个人信息副本：注销后将无法再获取。',
    'close.downloadLink': '下载我的个人信息',
    'close.blocked':
      '您暂时不能注销账号：您是以下企业在 Civitas 上的法定代表人。企业的新法定代表人将企业绑定到其本人账号后，您即可注销。',
    'close.understood': '我了解我的账号和个人信息将在该日期被删除，届时无法恢复。',
    'close.understoodMissing': '请勾选确认您已了解注销账号的后果。',
    'close.submit': '注销我的账号',
    'close.why':
      '注销账号会删除您的个人信息，因此需要您再次确认是您本人。请输入密码，或身份验证器应用中的验证码，或发送到您手机的验证码。',
    'reauth.why.close': '注销您的账号',
    'close.waiting': '您的账号将于 {closes} 注销。在此之前账号照常可用，您可以随时改变主意。',
    'close.waitingAsked': '您于 {asked} 提出申请。',
    'close.undo': '保留我的账号（撤销注销）',
    'close.undone': '您的账号将继续保留，没有删除任何内容。',
    'close.support': '您也可以请客服为您注销账号：拨打 12345，或携带身份证前往政务服务大厅。',
  },
  {
    'close.title': 'Zrušit účet',
    'close.link': 'Zrušit účet',
    'close.intro':
      'Než se rozhodnete, podívejte se, co zrušení účtu způsobí. Do dne zrušení ho můžete vzít zpět.',
    'close.services': 'Služby, které o vás přijdou',
    'close.servicesIntro':
      'Tyto služby vás přihlašovaly přes Civitas nebo dostaly vaše údaje. Dozvědí se, že byl váš účet zrušen, a budete z nich odhlášeni.',
    'close.noServices': 'Žádná služba vás nepřihlašovala přes Civitas ani nedostala vaše údaje.',
    'close.policy': 'její zásady ochrany osobních údajů',
    'close.erased': 'Co se smaže',
    'close.erasedIntro':
      'Vaše osobní údaje se smažou a klíč, kterým jsou zašifrovány, se zničí, takže žádnou kopii (ani zálohu) už nikdo nepřečte:',
    'close.kept': 'Co zůstane a proč',
    'close.keptIntro':
      'Zákon nebo odpovědnost platformy vyžadují uchovat několik záznamů; po smazání vašich údajů v nich nezůstane nic, co by vás označovalo:',
    'close.when': 'Kdy',
    'close.whenText':
      'Pokud účet zrušíte dnes, zruší se {closes}, pokud to do té doby nevezmete zpět. Zákonná lhůta pro zrušení je {due} (15 pracovních dnů).',
    'close.first': 'Než účet zrušíte',
    'close.download': 'Nejdřív si stáhněte kopii svých údajů: potom už to nepůjde.',
    'close.downloadLink': 'Stáhnout moje údaje',
    'close.blocked':
      'Účet zatím zrušit nemůžete: jste statutárním zástupcem těchto firem v Civitas. Až nový statutární zástupce firmu připojí ke svému účtu, můžete svůj účet zrušit.',
    'close.understood':
      'Rozumím, že můj účet a moje údaje budou v ten den smazány a potom to nepůjde vrátit.',
    'close.understoodMissing': 'Zaškrtnutím potvrďte, že rozumíte, co zrušení účtu znamená.',
    'close.submit': 'Zrušit můj účet',
    'close.why':
      'Zrušení účtu smaže vaše údaje, proto vás žádáme, abyste znovu prokázali, že jste to vy. Zadejte heslo nebo kód z ověřovací aplikace či zaslaný na telefon.',
    'reauth.why.close': 'zrušení vašeho účtu',
    'close.waiting': 'Váš účet bude zrušen {closes}. Do té doby funguje jako dřív a můžete si to rozmyslet.',
    'close.waitingAsked': 'Požádali jste {asked}.',
    'close.undo': 'Ponechat si účet (vzít zrušení zpět)',
    'close.undone': 'Váš účet zůstává. Nic nebylo smazáno.',
    'close.support':
      'O zrušení účtu můžete požádat i zákaznickou podporu: volejte 12345 nebo přijďte s občanským průkazem na úřad.',
  },
);

/** The service hall's ID-number reclaim (issue 14 item 10) and new number for a lost phone (item 1). */
import { area } from './area.ts';

export const reclaimArea = area(
  {
    'security.reason.phone-recovered': 'the mobile number was replaced at a service hall',
    'admin.hallPhone.link': 'Bind a new mobile number (lost phone)',
    'admin.hallPhone.title': 'Bind a new mobile number',
    'admin.hallPhone.intro':
      'For a person who lost their phone. Check their original document and compare its photo with them, look their account up, then send a code to the number they can receive on and type the code they read out. Every sign-in of the account ends and the person is told.',
    'admin.hallPhone.phone': 'The new mobile number',
    'admin.hallPhone.send': 'Send a code to it',
    'admin.hallPhone.sentTo': 'A code was sent to',
    'admin.hallPhone.code': 'The code the person reads out',
    'admin.hallPhone.bind': 'Bind the number',
    'admin.hallPhone.bound':
      'Bound. Every sign-in of the account ended; the person was told on the new number.',
    'admin.reclaim.link': 'Release an ID number someone else registered',
    'admin.reclaim.title': 'Release an ID number',
    'admin.reclaim.intro':
      'For a person whose ID number is held by an account that is not theirs. Check their original document and compare its photo with them, then look the number up. An account that never proved the number (level L1) loses it and is told; the person can then register with it. An account that proved it keeps it.',
    'admin.reclaim.lookUp': 'Look up the account holding it',
    'admin.reclaim.held': 'The account holding this number',
    'admin.reclaim.name': 'The name it gave',
    'admin.reclaim.level': 'Its level',
    'admin.reclaim.since': 'Opened',
    'admin.reclaim.verifiedHolder':
      'This account proved the number: it cannot be released here. The person contacts support with their document.',
    'admin.reclaim.notTheirs': 'The person in front of me says they did not open this account',
    'admin.reclaim.release': 'Release the ID number',
    'admin.reclaim.released':
      'Released. The account that held it was told. The person can register with their ID number now.',
    'admin.reclaim.free': 'No account holds this ID number: the person can register with it.',
  },
  {
    'security.reason.phone-recovered': '手机号码已在政务服务大厅更换',
    'admin.hallPhone.link': '绑定新手机号码（手机遗失）',
    'admin.hallPhone.title': '绑定新手机号码',
    'admin.hallPhone.intro':
      '适用于手机遗失的本人。请查验本人证件原件并将证件照片与本人比对，查询其账号，然后向其能接收短信的号码发送验证码，并输入本人读出的验证码。该账号的所有登录将退出，本人会收到通知。',
    'admin.hallPhone.phone': '新手机号码',
    'admin.hallPhone.send': '发送验证码',
    'admin.hallPhone.sentTo': '验证码已发送至',
    'admin.hallPhone.code': '本人读出的验证码',
    'admin.hallPhone.bind': '绑定该号码',
    'admin.hallPhone.bound': '已绑定。该账号的所有登录已退出，已通过新号码通知本人。',
    'admin.reclaim.link': '解除被他人注册的身份证号码',
    'admin.reclaim.title': '解除身份证号码',
    'admin.reclaim.intro':
      '适用于身份证号码被他人账号占用的情况。请查验本人证件原件并将证件照片与本人比对，然后查询该号码。从未证明该号码的账号（一级 L1）将失去该号码并收到通知，本人随后即可用该号码注册；已证明该号码的账号保留该号码。',
    'admin.reclaim.lookUp': '查询持有该号码的账号',
    'admin.reclaim.held': '持有该号码的账号',
    'admin.reclaim.name': '其填写的姓名',
    'admin.reclaim.level': '其级别',
    'admin.reclaim.since': '开户时间',
    'admin.reclaim.verifiedHolder': '该账号已证明该号码：不能在此解除。请本人携带证件联系客服。',
    'admin.reclaim.notTheirs': '本人确认该账号不是其本人开立的',
    'admin.reclaim.release': '解除该身份证号码',
    'admin.reclaim.released': '已解除，原持有账号已收到通知。本人现在可以用其身份证号码注册。',
    'admin.reclaim.free': '没有账号持有该身份证号码：本人可以直接注册。',
  },
  {
    'security.reason.phone-recovered': 'mobilní číslo bylo nahrazeno na kontaktním místě',
    'admin.hallPhone.link': 'Přiřadit nové mobilní číslo (ztracený telefon)',
    'admin.hallPhone.title': 'Přiřadit nové mobilní číslo',
    'admin.hallPhone.intro':
      'Pro osobu, která ztratila telefon. Zkontrolujte originál dokladu a porovnejte fotografii s osobou, vyhledejte její účet, pošlete kód na číslo, na kterém zprávy přijímá, a zadejte kód, který vám přečte. Všechna přihlášení účtu skončí a osoba dostane zprávu.',
    'admin.hallPhone.phone': 'Nové mobilní číslo',
    'admin.hallPhone.send': 'Poslat na něj kód',
    'admin.hallPhone.sentTo': 'Kód byl poslán na',
    'admin.hallPhone.code': 'Kód, který osoba přečte',
    'admin.hallPhone.bind': 'Přiřadit číslo',
    'admin.hallPhone.bound':
      'Přiřazeno. Všechna přihlášení účtu skončila; osoba dostala zprávu na nové číslo.',
    'admin.reclaim.link': 'Uvolnit číslo průkazu, které zaregistroval někdo jiný',
    'admin.reclaim.title': 'Uvolnit číslo průkazu',
    'admin.reclaim.intro':
      'Pro osobu, jejíž číslo průkazu drží účet, který jí nepatří. Zkontrolujte originál dokladu a porovnejte fotografii s osobou, pak číslo vyhledejte. Účet, který číslo nikdy neprokázal (úroveň L1), o něj přijde a dostane zprávu; osoba se pak s ním může registrovat. Účet, který ho prokázal, si ho ponechá.',
    'admin.reclaim.lookUp': 'Vyhledat účet, který ho drží',
    'admin.reclaim.held': 'Účet s tímto číslem',
    'admin.reclaim.name': 'Jméno, které uvedl',
    'admin.reclaim.level': 'Jeho úroveň',
    'admin.reclaim.since': 'Založen',
    'admin.reclaim.verifiedHolder':
      'Tento účet číslo prokázal: zde ho nelze uvolnit. Osoba se s dokladem obrátí na podporu.',
    'admin.reclaim.notTheirs': 'Osoba přede mnou uvádí, že tento účet nezaložila',
    'admin.reclaim.release': 'Uvolnit číslo průkazu',
    'admin.reclaim.released':
      'Uvolněno. Účet, který ho držel, dostal zprávu. Osoba se teď může s číslem průkazu registrovat.',
    'admin.reclaim.free': 'Žádný účet toto číslo průkazu nedrží: osoba se s ním může registrovat.',
  },
);

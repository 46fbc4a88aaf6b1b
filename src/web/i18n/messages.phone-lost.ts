/** A lost phone, recovered online (/login/phone-lost; a second factor at L1–L2, the face at L3). */
import { area } from './area.ts';

export const phoneLostArea = area(
  {
    'phoneLost.title': 'Lost your phone?',
    'phoneLost.link': 'Lost your phone?',
    'phoneLost.intro':
      'Bind a new mobile number to your account. You need the new number, your name and ID number as on your ID card, and a code from your authenticator app or one of your recovery codes, or, if your account is verified at L3, a photo of your face taken now. Every sign-in of your account ends, and you are told on every channel you have.',
    'phoneLost.hall':
      'Verified at L4, or none of these at hand? Take your identity card to a service hall: staff bind your new number there.',
    'phoneLost.phone': 'New mobile number',
    'phoneLost.send': 'Send a code to the new number',
    'phoneLost.codeSent': 'A code was sent to the new number.',
    'phoneLost.code': 'Code from the SMS to the new number',
    'phoneLost.name': 'Name (as on your ID card)',
    'phoneLost.idNumber': 'Resident ID number',
    'phoneLost.factor': 'Code from your authenticator app, or a recovery code',
    'phoneLost.factorHint': 'Six digits from the app, or a recovery code you printed or saved.',
    'phoneLost.photo': 'Or, verified at L3: a photo of your face',
    'phoneLost.photoHint':
      'Taken now, facing the camera. It is compared with your ID card photo at the population registry and not kept.',
    'phoneLost.photoUnreadable': 'The photo could not be read (at most 4 MB); take it again',
    'phoneLost.submit': 'Bind the new number',
    'phoneLost.done':
      'Your new mobile number is bound to your account. Every sign-in of your account was ended: sign in with the new number.',
    'phoneLost.signIn': 'Sign in',
  },
  {
    'phoneLost.title': '手机丢失？',
    'phoneLost.link': '手机丢失？',
    'phoneLost.intro':
      '为您的账号绑定新的手机号码。您需要新号码、与身份证一致的姓名和身份证号码，以及身份验证器应用中的验证码或一个恢复码；L3 级实名账号也可改用现场拍摄的人脸照片。您账号的所有登录都将结束，并会通过您的所有渠道通知您。',
    'phoneLost.hall':
      '账号已达到 L4 级实名，或以上方式均不可用？请携带有效证件到政务服务大厅，由工作人员为您绑定新号码。',
    'phoneLost.phone': '新手机号码',
    'phoneLost.send': '向新号码发送验证码',
    'phoneLost.codeSent': '验证码已发送到新号码。',
    'phoneLost.code': '新号码收到的短信验证码',
    'phoneLost.name': '姓名（与身份证一致）',
    'phoneLost.idNumber': '居民身份证号码',
    'phoneLost.factor': '身份验证器应用中的验证码，或恢复码',
    'phoneLost.factorHint': '应用中的六位数字，或您打印或保存的恢复码。',
    'phoneLost.photo': '或者（L3 级实名账号）：您的人脸照片',
    'phoneLost.photoHint': '请现场正对镜头拍摄。照片将与公安人口信息库中的身份证照片比对，不予保存。',
    'phoneLost.photoUnreadable': '无法读取照片（最大 4 MB），请重新拍摄',
    'phoneLost.submit': '绑定新号码',
    'phoneLost.done': '新手机号码已绑定到您的账号。您账号的所有登录均已结束：请用新号码登录。',
    'phoneLost.signIn': '登录',
  },
  {
    'phoneLost.title': 'Ztratili jste telefon?',
    'phoneLost.link': 'Ztratili jste telefon?',
    'phoneLost.intro':
      'Připojte ke svému účtu nové mobilní číslo. Potřebujete nové číslo, jméno a číslo průkazu podle občanského průkazu a kód z ověřovací aplikace nebo jeden ze záchranných kódů, případně, je-li účet ověřen na úrovni L3, fotografii obličeje pořízenou teď. Všechna přihlášení vašeho účtu skončí a dozvíte se o tom všemi kanály, které máte.',
    'phoneLost.hall':
      'Máte účet ověřený na úrovni L4, nebo nemáte nic z toho po ruce? Přijďte s občanským průkazem na kontaktní místo: nové číslo vám připojí tam.',
    'phoneLost.phone': 'Nové mobilní číslo',
    'phoneLost.send': 'Poslat kód na nové číslo',
    'phoneLost.codeSent': 'Kód byl poslán na nové číslo.',
    'phoneLost.code': 'Kód z SMS na nové číslo',
    'phoneLost.name': 'Jméno (podle občanského průkazu)',
    'phoneLost.idNumber': 'Rodné číslo (číslo průkazu)',
    'phoneLost.factor': 'Kód z ověřovací aplikace, nebo záchranný kód',
    'phoneLost.factorHint': 'Šest číslic z aplikace, nebo záchranný kód, který jste si vytiskli či uložili.',
    'phoneLost.photo': 'Nebo, s ověřením na úrovni L3: fotografie vašeho obličeje',
    'phoneLost.photoHint':
      'Pořízená teď, čelem k fotoaparátu. Porovná se s fotografií z občanského průkazu v evidenci obyvatel a neuchovává se.',
    'phoneLost.photoUnreadable': 'Fotografii nelze přečíst (nejvýše 4 MB); pořiďte ji znovu',
    'phoneLost.submit': 'Připojit nové číslo',
    'phoneLost.done':
      'Nové mobilní číslo je připojeno k vašemu účtu. Všechna přihlášení vašeho účtu skončila: přihlaste se novým číslem.',
    'phoneLost.signIn': 'Přihlásit se',
  },
);

import { defineErrors } from '../../kernel/errors.ts';

// Codes keep the `identity.` prefix: they are stable identifiers that clients and stored
// problem answers use (the identity module was split into account, session, signin, support).
export const signInErrors = defineErrors('identity', {
  password_renewal_required: {
    status: 403,
    clause: 'P7.3',
    title: {
      en: 'You told us a sign-in or a change on this account was not you, so you must set a new password first: choose “Forgot your password?” and we will send a code to your phone',
      'zh-CN':
        '您曾告知我们某次登录或变更不是您本人操作，因此须先设置新密码：请选择“忘记密码？”，我们会向您的手机发送验证码',
      cs: 'Sdělili jste nám, že některé přihlášení nebo změna na tomto účtu nebyly od vás, proto musíte nejprve nastavit nové heslo: zvolte „Zapomněli jste heslo?“ a pošleme vám kód na telefon',
    },
  },
  too_many_codes: {
    status: 429,
    title: {
      en: 'A code was sent recently, or too many were asked for; wait before asking again',
      'zh-CN': '验证码刚刚发送过或请求次数过多，请稍候再试',
      cs: 'Kód byl právě odeslán nebo bylo požádáno o příliš mnoho kódů; počkejte',
    },
  },
  code_invalid: {
    status: 400,
    title: {
      en: 'The code is wrong or has expired',
      'zh-CN': '验证码错误或已过期',
      cs: 'Kód je chybný nebo vypršel',
    },
  },
  code_used_up: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'This code can no longer be used: it has expired or was entered wrongly too many times. Send a new code',
      'zh-CN': '此验证码已失效：已过期或输错次数过多。请重新获取验证码',
      cs: 'Tento kód už nelze použít: vypršel nebo byl příliš mnohokrát zadán chybně. Nechte si poslat nový kód',
    },
  },
  registration_expired: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'The confirmation of your mobile number has expired; send a new code to continue',
      'zh-CN': '手机号确认已过期，请重新获取验证码后继续',
      cs: 'Potvrzení vašeho mobilního čísla vypršelo; pro pokračování si nechte poslat nový kód',
    },
  },
  sms_unavailable: {
    status: 503,
    title: {
      en: 'Text messages cannot be sent right now; try again later',
      'zh-CN': '短信暂时无法发送，请稍后再试',
      cs: 'SMS nyní nelze odeslat; zkuste to později',
    },
  },
  reauth_required: {
    status: 403,
    clause: 'P7.3',
    title: {
      en: 'Confirm it is you first: enter your password or a code from your authenticator app',
      'zh-CN': '请先确认是您本人：输入密码或身份验证器应用中的验证码',
      cs: 'Nejprve potvrďte, že jste to vy: zadejte heslo nebo kód z ověřovací aplikace',
    },
  },
  current_password_required: {
    status: 400,
    clause: 'P8.3',
    title: {
      en: 'Enter your current password, or confirm it is you another way first',
      'zh-CN': '请输入当前密码，或先用其他方式确认是您本人',
      cs: 'Zadejte současné heslo, nebo nejprve potvrďte jiným způsobem, že jste to vy',
    },
  },
  phone_same: {
    status: 400,
    clause: 'P8.1.correct',
    title: {
      en: 'This is already the mobile number of your account',
      'zh-CN': '这已经是您账号的手机号码',
      cs: 'Toto už je mobilní číslo vašeho účtu',
    },
  },
  phone_unusable: {
    status: 400,
    clause: 'P8.1.correct',
    title: {
      en: 'This mobile number cannot be used for your account. Use another number, or call 12345',
      'zh-CN': '此手机号码无法用于您的账号。请换一个号码，或致电 12345',
      cs: 'Toto mobilní číslo nelze pro váš účet použít. Použijte jiné číslo, nebo volejte 12345',
    },
  },
  recovery_not_confirmed: {
    status: 400,
    clause: 'P8.3',
    title: {
      en: 'We could not confirm that this account is yours with these details. Check them and the code from your authenticator app or recovery code, or at L3 the photo of your face taken now; if your account is verified at L4, or none of these works, take your identity card to a service hall',
      'zh-CN':
        '无法用这些信息确认该账号属于您。请核对信息及身份验证器应用中的验证码或恢复码，L3 级账号请核对现场拍摄的人脸照片；如您的账号已达到 L4 级实名，或以上方式均不可用，请携带有效证件到政务服务大厅办理',
      cs: 'S těmito údaji nelze potvrdit, že je účet váš. Zkontrolujte je i kód z ověřovací aplikace nebo záchranný kód, na úrovni L3 fotografii obličeje pořízenou teď; pokud je účet ověřen na úrovni L4, nebo nic z toho nejde, přijďte s občanským průkazem na kontaktní místo',
    },
  },
  recovery_needs_level: {
    status: 409,
    clause: 'P8.3',
    title: {
      en: 'Your account is verified at L3 or above: its phone is recovered with the same checks: at L3 with a photo of your face taken now, at L4 at a service hall (bring your identity card)',
      'zh-CN':
        '您的账号已达到 L3 或以上实名等级：需以同等方式核验后找回手机号码：L3 级请现场拍摄人脸照片核验，L4 级请携带有效证件到政务服务大厅办理',
      cs: 'Váš účet je ověřen na úrovni L3 nebo vyšší: telefon se obnovuje se stejným ověřením: na úrovni L3 fotografií obličeje pořízenou teď, na úrovni L4 na kontaktním místě (vezměte si občanský průkaz)',
    },
  },
  phone_change_expired: {
    status: 400,
    clause: 'P8.1.correct',
    title: {
      en: 'The confirmation of your new number has expired; start again',
      'zh-CN': '新号码的确认已过期，请重新开始',
      cs: 'Potvrzení nového čísla vypršelo; začněte znovu',
    },
  },
  second_proof_failed: {
    status: 400,
    clause: 'P8.1.correct',
    title: {
      en: 'That code is not correct. Enter the code sent to your current number, or a code from your authenticator app or a recovery code',
      'zh-CN': '验证码不正确。请输入发送到当前号码的验证码，或身份验证器应用中的验证码、恢复码',
      cs: 'Kód není správný. Zadejte kód poslaný na současné číslo, nebo kód z ověřovací aplikace či záchranný kód',
    },
  },
  reauth_failed: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'That password or code is not correct',
      'zh-CN': '密码或验证码不正确',
      cs: 'Heslo nebo kód není správný',
    },
  },
  invalid_credentials: {
    status: 401,
    title: {
      en: 'The number or password is not correct',
      'zh-CN': '手机号或密码不正确',
      cs: 'Číslo nebo heslo není správné',
    },
  },
  locked: {
    status: 423,
    clause: 'P7.3',
    title: {
      en: 'Too many failed sign-ins for this number from here; try again later or sign in with an SMS code',
      'zh-CN': '此处该号码登录失败次数过多，请稍后再试或使用短信验证码登录',
      cs: 'Odsud bylo pro toto číslo příliš mnoho neúspěšných pokusů; zkuste to později nebo se přihlaste SMS kódem',
    },
  },
  slow_down: {
    status: 429,
    clause: 'P7.3',
    title: {
      en: 'Several wrong passwords from this device; wait a moment before trying again, or sign in with an SMS code',
      'zh-CN': '此设备多次输入错误密码，请稍候再试，或使用短信验证码登录',
      cs: 'Z tohoto zařízení bylo zadáno několik chybných hesel; chvíli počkejte, nebo se přihlaste SMS kódem',
    },
  },
  second_step_slowed: {
    status: 429,
    clause: 'P7.3',
    title: {
      en: 'Too many wrong codes for your account recently; wait a few minutes before trying again',
      'zh-CN': '您的账号近期验证码错误次数过多，请等待几分钟后再试',
      cs: 'Pro váš účet bylo nedávno zadáno příliš mnoho chybných kódů; počkejte několik minut',
    },
  },
  second_step_expired: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'This sign-in step has expired or was already used; sign in again',
      'zh-CN': '本次登录验证已过期或已使用，请重新登录',
      cs: 'Tento krok přihlášení vypršel nebo už byl použit; přihlaste se znovu',
    },
  },
  second_step_locked: {
    status: 429,
    clause: 'P7.3',
    title: {
      en: 'Too many wrong codes for this sign-in; sign in again',
      'zh-CN': '本次登录验证码错误次数过多，请重新登录',
      cs: 'Příliš mnoho chybných kódů; přihlaste se znovu',
    },
  },
  second_step_method: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'This way of confirming is not available for your account',
      'zh-CN': '您的账号不支持这种验证方式',
      cs: 'Tento způsob ověření není pro váš účet k dispozici',
    },
  },
  passkey_failed: {
    status: 400,
    clause: 'P7.3',
    title: {
      en: 'The passkey could not be verified; try again',
      'zh-CN': '通行密钥验证失败，请重试',
      cs: 'Přístupový klíč se nepodařilo ověřit; zkuste to znovu',
    },
  },
  factor_exists: {
    status: 409,
    title: {
      en: 'An authenticator app is already set up; remove it first to set up another',
      'zh-CN': '已设置身份验证器应用，如需更换请先移除',
      cs: 'Ověřovací aplikace už je nastavena; pro novou ji nejprve odeberte',
    },
  },
  no_strong_factor: {
    status: 409,
    title: {
      en: 'Recovery codes need a passkey or an authenticator app first',
      'zh-CN': '请先设置通行密钥或身份验证器应用，再生成恢复码',
      cs: 'Záchranné kódy vyžadují nejprve přístupový klíč nebo ověřovací aplikaci',
    },
  },
});

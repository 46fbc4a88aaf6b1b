/**
 * Texts of the staff second factor and password change (P7.2.roles), and of the fresh proof a
 * citizen gives before removing a factor or making new recovery codes (P7.3).
 */
import { area } from './area.ts';

export const hardening = area(
  {
    'admin.mfa.title': 'Code from your authenticator app',
    'admin.mfa.intro': 'Enter the 6-digit code your authenticator app shows for Civitas.',
    'admin.mfa.code': 'Code',
    'admin.mfa.submit': 'Continue',
    'admin.mfa.restart': 'Sign in again',
    'admin.enrol.title': 'Set up your authenticator app',
    'admin.enrol.intro':
      'Every staff account needs a second factor. Scan this code with an authenticator app (or type the key), then enter the 6-digit code it shows. You cannot use the console before this is done.',
    'admin.enrol.qr': 'QR code to scan with your authenticator app',
    'admin.enrol.key': 'Key',
    'admin.enrol.submit': 'Confirm and open the console',
    'admin.password.link': 'Change my password',
    'admin.password.title': 'Change your password',
    'admin.password.intro':
      'At least 12 characters. Common and breached passwords are refused. Your other sessions end.',
    'admin.password.current': 'Current password',
    'admin.password.new': 'New password',
    'admin.password.submit': 'Change password',
    'admin.password.done': 'Password changed. Your other sessions were ended.',
    'reauth.title': 'Confirm it is you',
    'reauth.intro':
      'This change weakens how your account is protected, so we ask you to prove again that it is you. Enter your password, or a code from your authenticator app.',
    'reauth.password': 'Password',
    'reauth.code': 'Or a code from your authenticator app',
    'reauth.submit': 'Confirm',
    'reauth.failed': 'That password or code is not correct.',
    'security.reason.totp-removed': 'the authenticator app was removed',
    'security.reason.passkey-removed': 'a passkey was removed',
    'security.reason.recovery-codes-regenerated':
      'new recovery codes were made (the old ones stopped working)',
  },
  {
    'admin.mfa.title': '身份验证器应用中的验证码',
    'admin.mfa.intro': '请输入身份验证器应用为 Civitas 显示的 6 位验证码。',
    'admin.mfa.code': '验证码',
    'admin.mfa.submit': '继续',
    'admin.mfa.restart': '重新登录',
    'admin.enrol.title': '设置身份验证器应用',
    'admin.enrol.intro':
      '每个工作人员账号都需要第二重验证。请用身份验证器应用扫描此二维码（或手动输入密钥），然后输入其显示的 6 位验证码。完成之前无法使用控制台。',
    'admin.enrol.qr': '用身份验证器应用扫描的二维码',
    'admin.enrol.key': '密钥',
    'admin.enrol.submit': '确认并打开控制台',
    'admin.password.link': '修改我的密码',
    'admin.password.title': '修改密码',
    'admin.password.intro': '至少 12 个字符。常见密码和已泄露的密码不能使用。您的其他会话将被结束。',
    'admin.password.current': '当前密码',
    'admin.password.new': '新密码',
    'admin.password.submit': '修改密码',
    'admin.password.done': '密码已修改，您的其他会话已结束。',
    'reauth.title': '确认是您本人',
    'reauth.intro':
      '此操作会降低账号的保护程度，因此需要您再次证明是本人。请输入密码，或身份验证器应用中的验证码。',
    'reauth.password': '密码',
    'reauth.code': '或身份验证器应用中的验证码',
    'reauth.submit': '确认',
    'reauth.failed': '密码或验证码不正确。',
    'security.reason.totp-removed': '身份验证器应用已被移除',
    'security.reason.passkey-removed': '一个通行密钥已被移除',
    'security.reason.recovery-codes-regenerated': '已生成新的恢复码（旧恢复码已失效）',
  },
  {
    'admin.mfa.title': 'Kód z ověřovací aplikace',
    'admin.mfa.intro': 'Zadejte šestimístný kód, který vaše ověřovací aplikace ukazuje pro Civitas.',
    'admin.mfa.code': 'Kód',
    'admin.mfa.submit': 'Pokračovat',
    'admin.mfa.restart': 'Přihlásit se znovu',
    'admin.enrol.title': 'Nastavte si ověřovací aplikaci',
    'admin.enrol.intro':
      'Každý účet pracovníka potřebuje druhý faktor. Naskenujte tento kód ověřovací aplikací (nebo opište klíč) a zadejte šestimístný kód, který ukáže. Dokud to neuděláte, konzoli nelze používat.',
    'admin.enrol.qr': 'QR kód k naskenování ověřovací aplikací',
    'admin.enrol.key': 'Klíč',
    'admin.enrol.submit': 'Potvrdit a otevřít konzoli',
    'admin.password.link': 'Změnit heslo',
    'admin.password.title': 'Změna hesla',
    'admin.password.intro':
      'Alespoň 12 znaků. Běžná a uniklá hesla nelze použít. Vaše ostatní relace budou ukončeny.',
    'admin.password.current': 'Současné heslo',
    'admin.password.new': 'Nové heslo',
    'admin.password.submit': 'Změnit heslo',
    'admin.password.done': 'Heslo bylo změněno. Vaše ostatní relace byly ukončeny.',
    'reauth.title': 'Potvrďte, že jste to vy',
    'reauth.intro':
      'Tato změna oslabuje ochranu vašeho účtu, proto vás žádáme, abyste znovu prokázali, že jste to vy. Zadejte heslo nebo kód z ověřovací aplikace.',
    'reauth.password': 'Heslo',
    'reauth.code': 'Nebo kód z ověřovací aplikace',
    'reauth.submit': 'Potvrdit',
    'reauth.failed': 'Heslo nebo kód není správný.',
    'security.reason.totp-removed': 'ověřovací aplikace byla odebrána',
    'security.reason.passkey-removed': 'přístupový klíč byl odebrán',
    'security.reason.recovery-codes-regenerated':
      'byly vytvořeny nové záchranné kódy (staré přestaly platit)',
  },
);

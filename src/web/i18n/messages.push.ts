/** Web push (issue 13 §2): the page where a person turns push notifications on in a browser. */
import { area } from './area.ts';

export const pushArea = area(
  {
    'push.title': 'Push notifications',
    'push.intro':
      'Get security alerts, incident notices and other messages from Civitas as notifications in this browser, even when the portal is closed. Turn it on in each browser you want them in.',
    'push.what':
      'A notification shows the message’s title and text, as your inbox does; it travels encrypted to your browser. Clicking it opens your messages.',
    'push.on': 'Push notifications are on in this browser.',
    'push.off': 'Push notifications are off in this browser.',
    'push.turnOn': 'Turn on in this browser',
    'push.turnOff': 'Stop on this browser',
    'push.noScript':
      'Push notifications need JavaScript: this browser registers a small script (a service worker) that shows them. Turn JavaScript on to use them; your messages also stay in your inbox.',
    'push.unsupported': 'This browser does not support push notifications.',
    'push.denied':
      'This browser blocks notifications from Civitas. Allow them in the browser’s site settings, then try again.',
    'push.failed': 'Push notifications could not be turned on. Try again later.',
    'push.others': 'Other browsers with push notifications',
    'push.signOutNote':
      'Signing out of a browser, or signing it out from “Account security”, also stops its notifications.',
  },
  {
    'push.title': '推送通知',
    'push.intro':
      '在此浏览器中以通知形式接收 Civitas 的安全提醒、安全事件通知和其他消息，即使门户已关闭。请在每个需要接收的浏览器中分别开启。',
    'push.what':
      '通知显示消息的标题和正文，与您的消息箱相同；内容加密传送到您的浏览器。点击通知将打开您的消息。',
    'push.on': '此浏览器已开启推送通知。',
    'push.off': '此浏览器未开启推送通知。',
    'push.turnOn': '在此浏览器中开启',
    'push.turnOff': '在此浏览器中停止',
    'push.noScript':
      '推送通知需要 JavaScript：浏览器会注册一个显示通知的小脚本。请开启 JavaScript 后使用；您的消息也会保留在消息箱中。',
    'push.unsupported': '此浏览器不支持推送通知。',
    'push.denied': '此浏览器已阻止 Civitas 的通知。请在浏览器的网站设置中允许通知后再试。',
    'push.failed': '无法开启推送通知，请稍后再试。',
    'push.others': '其他已开启推送通知的浏览器',
    'push.signOutNote': '退出某个浏览器的登录，或在“账号安全”中将其退出，也会停止该浏览器的通知。',
  },
  {
    'push.title': 'Oznámení push',
    'push.intro':
      'Dostávejte bezpečnostní upozornění, oznámení o incidentech a další zprávy od Civitas jako oznámení v tomto prohlížeči, i když je portál zavřený. Zapněte je v každém prohlížeči, kde je chcete.',
    'push.what':
      'Oznámení ukazuje nadpis a text zprávy jako vaše schránka; do prohlížeče putuje zašifrované. Kliknutím otevřete své zprávy.',
    'push.on': 'Oznámení push jsou v tomto prohlížeči zapnutá.',
    'push.off': 'Oznámení push jsou v tomto prohlížeči vypnutá.',
    'push.turnOn': 'Zapnout v tomto prohlížeči',
    'push.turnOff': 'Vypnout v tomto prohlížeči',
    'push.noScript':
      'Oznámení push potřebují JavaScript: prohlížeč si zaregistruje malý skript, který je zobrazuje. Zapněte JavaScript; vaše zprávy zůstávají i ve schránce.',
    'push.unsupported': 'Tento prohlížeč oznámení push nepodporuje.',
    'push.denied':
      'Tento prohlížeč blokuje oznámení od Civitas. Povolte je v nastavení webu v prohlížeči a zkuste to znovu.',
    'push.failed': 'Oznámení push se nepodařilo zapnout. Zkuste to později.',
    'push.others': 'Další prohlížeče s oznámeními push',
    'push.signOutNote':
      'Odhlášení z prohlížeče nebo jeho odhlášení v části „Zabezpečení účtu“ jeho oznámení také zastaví.',
  },
);

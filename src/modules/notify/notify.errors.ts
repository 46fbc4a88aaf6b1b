import { defineErrors } from '../../kernel/errors.ts';

export const notifyErrors = defineErrors('notify', {
  illegal_transition: {
    status: 409,
    clause: 'P7.3',
    title: {
      en: 'This message cannot change that way (it was already sent, or failed for good)',
      'zh-CN': '该消息无法这样变更（已发送，或已最终失败）',
      cs: 'Tuto zprávu nelze takto změnit (už byla odeslána, nebo definitivně selhala)',
    },
  },
  mandatory_needs_channel: {
    status: 422,
    clause: 'P7.3',
    title: {
      en: 'Security alerts, incident notices and legal notices cannot be switched off: choose at least one way to receive them',
      'zh-CN': '安全提醒、安全事件通知和法定告知不能关闭：请至少选择一种接收方式',
      cs: 'Bezpečnostní upozornění, oznámení o incidentech a zákonná oznámení nelze vypnout: vyberte alespoň jeden způsob doručení',
    },
  },
  push_subscription_invalid: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'This browser gave a push subscription Civitas cannot use (its address or keys are not valid)',
      'zh-CN': '此浏览器提供的推送订阅无法使用（地址或密钥无效）',
      cs: 'Tento prohlížeč předal odběr push, který Civitas nemůže použít (adresa nebo klíče nejsou platné)',
    },
  },
  push_service_refused: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: "This browser's push service is not one Civitas sends to",
      'zh-CN': '此浏览器的推送服务不在 Civitas 支持的范围内',
      cs: 'Služba push tohoto prohlížeče nepatří mezi ty, kterým Civitas posílá',
    },
  },
  email_invalid: {
    status: 422,
    clause: 'P8.1',
    title: {
      en: 'Enter an e-mail address like name@example.cn',
      'zh-CN': '请输入有效的电子邮箱，例如 name@example.cn',
      cs: 'Zadejte e-mailovou adresu ve tvaru jmeno@example.cn',
    },
  },
  email_same: {
    status: 409,
    clause: 'P8.1',
    title: {
      en: 'This is already your verified e-mail address',
      'zh-CN': '这已经是您已验证的电子邮箱',
      cs: 'Toto už je vaše ověřená e-mailová adresa',
    },
  },
  email_code_invalid: {
    status: 422,
    clause: 'P8.1',
    title: {
      en: 'That code is not right: check the e-mail and type the 6 digits again',
      'zh-CN': '验证码不正确：请查看邮件并重新输入 6 位数字',
      cs: 'Kód nesouhlasí: zkontrolujte e-mail a zadejte 6 číslic znovu',
    },
  },
  email_code_used_up: {
    status: 422,
    clause: 'P8.1',
    title: {
      en: 'This code can no longer be used (expired, or too many wrong tries): ask for a new code',
      'zh-CN': '该验证码已无法使用（已过期或输错次数过多）：请重新获取验证码',
      cs: 'Tento kód už nelze použít (vypršel nebo bylo příliš mnoho chybných pokusů): vyžádejte si nový',
    },
  },
  email_too_many_codes: {
    status: 429,
    clause: 'P7.3',
    title: {
      en: 'A code was sent a moment ago, or too many today: wait a minute, or try again tomorrow',
      'zh-CN': '刚刚已发送过验证码，或今天发送次数过多：请稍等一分钟，或明天再试',
      cs: 'Kód byl odeslán před chvílí, nebo dnes už příliš mnohokrát: počkejte minutu, nebo to zkuste zítra',
    },
  },
  email_nothing_pending: {
    status: 409,
    clause: 'P8.1',
    title: {
      en: 'No address is waiting for its code: enter the address first',
      'zh-CN': '没有待验证的电子邮箱：请先输入邮箱',
      cs: 'Žádná adresa nečeká na kód: nejdřív zadejte adresu',
    },
  },
  email_none: {
    status: 409,
    clause: 'P8.1',
    title: {
      en: 'There is no verified e-mail address to remove',
      'zh-CN': '没有可删除的已验证电子邮箱',
      cs: 'Není žádná ověřená e-mailová adresa k odebrání',
    },
  },
  email_unavailable: {
    status: 503,
    clause: 'P8.1',
    title: {
      en: 'The code could not be sent just now: try again in a few minutes',
      'zh-CN': '暂时无法发送验证码：请几分钟后重试',
      cs: 'Kód teď nelze odeslat: zkuste to za pár minut',
    },
  },
  email_rejected: {
    status: 422,
    clause: 'P8.1',
    title: {
      en: 'Mail to this address is refused by its provider: check the address',
      'zh-CN': '该邮箱的服务商拒收邮件：请检查邮箱地址',
      cs: 'Poskytovatel této adresy poštu odmítá: zkontrolujte adresu',
    },
  },
  email_illegal_transition: {
    status: 409,
    clause: 'P8.1',
    title: {
      en: 'This e-mail address cannot change that way (it was already replaced or removed)',
      'zh-CN': '该电子邮箱无法这样变更（已被替换或删除）',
      cs: 'Tuto e-mailovou adresu nelze takto změnit (už byla nahrazena nebo odebrána)',
    },
  },
});

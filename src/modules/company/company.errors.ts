import { defineErrors } from '../../kernel/errors.ts';

export const companyErrors = defineErrors('company', {
  invalid_credit_code: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'This is not a valid unified social credit code (18 characters, check character last)',
      'zh-CN': '统一社会信用代码无效（18 位，末位为校验码）',
      cs: 'Toto není platný jednotný kód sociálního kreditu (18 znaků, poslední je kontrolní)',
    },
  },
  level_too_low: {
    status: 403,
    clause: 'P2.1',
    title: {
      en: 'Binding a company needs identity assurance level L3; verify your identity to L3 first',
      'zh-CN': '绑定企业需要身份认证等级 L3，请先将实名认证提升至 L3',
      cs: 'Připojení firmy vyžaduje úroveň ověření totožnosti L3; nejprve ověřte totožnost na L3',
    },
  },
  unknown_company: {
    status: 404,
    clause: 'P2.1',
    title: {
      en: 'The company registry knows no company with this code',
      'zh-CN': '企业登记系统中没有该代码对应的企业',
      cs: 'Obchodní rejstřík nezná firmu s tímto kódem',
    },
  },
  not_representative: {
    status: 403,
    clause: 'P2.1',
    title: {
      en: 'The company registry does not list you as the legal representative of this company',
      'zh-CN': '企业登记信息显示您不是该企业的法定代表人',
      cs: 'Podle rejstříku nejste statutárním zástupcem této firmy',
    },
  },
  company_revoked: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'This company’s business licence has been revoked; it cannot be bound',
      'zh-CN': '该企业营业执照已被吊销，无法绑定',
      cs: 'Této firmě byla odebrána živnostenská licence; nelze ji připojit',
    },
  },
  already_bound: {
    status: 409,
    title: {
      en: 'This company is already bound to an account',
      'zh-CN': '该企业已绑定账号',
      cs: 'Tato firma je již připojena k účtu',
    },
  },
  registry_unavailable: {
    status: 503,
    title: {
      en: 'The company registry cannot be reached right now; try again later',
      'zh-CN': '企业登记系统暂时无法访问，请稍后再试',
      cs: 'Obchodní rejstřík je nyní nedostupný; zkuste to později',
    },
  },
  not_found: {
    status: 404,
    title: {
      en: 'You do not represent this company and hold no authorisation for it',
      'zh-CN': '您不是该企业的法定代表人，也没有该企业的授权',
      cs: 'Tuto firmu nezastupujete a nemáte od ní pověření',
    },
  },
  scope_denied: {
    status: 403,
    title: {
      en: 'Your authorisation for this company does not cover this action',
      'zh-CN': '您获得的企业授权不包括此项操作',
      cs: 'Vaše pověření pro tuto firmu tuto akci nezahrnuje',
    },
  },
  authorisation_ended: {
    status: 403,
    title: {
      en: 'Your authorisation for this company has ended or been revoked; you now act for yourself',
      'zh-CN': '您的企业授权已到期或被撤销，现以本人身份办理',
      cs: 'Vaše pověření pro firmu skončilo nebo bylo odvoláno; nyní jednáte sami za sebe',
    },
  },
  agent_not_registered: {
    status: 404,
    title: {
      en: 'No registered person has this mobile number; the agent must register first',
      'zh-CN': '该手机号尚未注册，被授权人需先注册',
      cs: 'S tímto číslem není registrována žádná osoba; zmocněnec se musí nejprve registrovat',
    },
  },
  invalid_agent: {
    status: 400,
    title: {
      en: 'Choose at least one scope and an end date within five years; you cannot authorise yourself',
      'zh-CN': '请至少选择一项授权范围，并设置五年内的截止日期；不能授权给自己',
      cs: 'Zvolte alespoň jeden rozsah a datum konce do pěti let; nemůžete pověřit sami sebe',
    },
  },
  agent_exists: {
    status: 409,
    title: {
      en: 'This person already holds an authorisation for the company; revoke it first to change it',
      'zh-CN': '此人已持有该企业的授权，如需修改请先撤销',
      cs: 'Tato osoba již pověření pro firmu má; pro změnu je nejprve odvolejte',
    },
  },
});

import { defineErrors } from '../../kernel/errors.ts';

export const vaultErrors = defineErrors('vault', {
  unknown_subject: {
    status: 404,
    title: { en: 'No such data subject', 'zh-CN': '没有该信息主体', cs: 'Takový subjekt údajů neexistuje' },
  },
  subject_erased: {
    status: 410,
    clause: 'P8.1',
    title: {
      en: 'This person’s data has been erased',
      'zh-CN': '该用户的个人信息已被删除',
      cs: 'Údaje této osoby byly vymazány',
    },
  },
  purpose_excludes_fields: {
    status: 403,
    clause: 'P4',
    title: {
      en: 'None of the requested fields may be used for this purpose',
      'zh-CN': '所请求的字段均不得用于该目的',
      cs: 'Žádný z požadovaných údajů nelze pro tento účel použít',
    },
  },
  no_basis: {
    status: 403,
    clause: 'P5.1.1',
    title: {
      en: 'No valid legal basis for this use of personal data',
      'zh-CN': '使用该个人信息缺少有效的合法依据',
      cs: 'Pro toto použití osobních údajů chybí platný právní základ',
    },
  },
  consent_withdrawn: {
    status: 403,
    clause: 'P8.5',
    title: {
      en: 'The person withdrew this consent',
      'zh-CN': '用户已撤回该同意',
      cs: 'Osoba tento souhlas odvolala',
    },
  },
  consent_awaiting_answer: {
    status: 403,
    clause: 'P9.accept',
    title: {
      en: 'The privacy policy changed what this consent is for: the person has to answer it again',
      'zh-CN': '隐私政策变更了该同意的用途，需要用户重新作出选择',
      cs: 'Zásady ochrany osobních údajů změnily účel tohoto souhlasu: osoba na něj musí odpovědět znovu',
    },
  },
  separate_consent_required: {
    status: 403,
    clause: 'P2.1',
    title: {
      en: 'Sensitive personal information needs its own, separate consent',
      'zh-CN': '敏感个人信息需要单独同意',
      cs: 'Citlivé osobní údaje vyžadují samostatný souhlas',
    },
  },
  role_excludes_purpose: {
    status: 403,
    clause: 'P7.2.roles',
    title: {
      en: 'Your role may not use personal data for this purpose',
      'zh-CN': '您的角色不得为该目的使用个人信息',
      cs: 'Vaše role nesmí osobní údaje pro tento účel použít',
    },
  },
  incompatible_purpose: {
    status: 403,
    clause: 'P4.x',
    title: {
      en: 'This purpose is not compatible with the one the data was collected for; fresh consent is needed',
      'zh-CN': '该目的与收集时的目的无关，需要重新取得同意',
      cs: 'Tento účel neodpovídá účelu, pro který byly údaje získány; je třeba nový souhlas',
    },
  },
  legal_basis_incomplete: {
    status: 400,
    clause: 'P5.1.2',
    title: {
      en: 'A legal basis must name the ordering authority and its reference',
      'zh-CN': '法定依据必须注明要求机关及文号',
      cs: 'Právní základ musí uvádět orgán a číslo jeho rozhodnutí',
    },
  },
  invalid_value: {
    status: 400,
    title: { en: 'A field value is not valid', 'zh-CN': '字段值无效', cs: 'Hodnota údaje není platná' },
  },
  duplicate_value: {
    status: 409,
    title: {
      en: 'Another person already has this value',
      'zh-CN': '该信息已被其他用户使用',
      cs: 'Tuto hodnotu již má jiná osoba',
    },
  },
});

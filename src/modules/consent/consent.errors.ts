import { defineErrors } from '../../kernel/errors.ts';

export const consentErrors = defineErrors('consent', {
  unknown: {
    status: 404,
    title: { en: 'No such consent', 'zh-CN': '没有该同意记录', cs: 'Takový souhlas neexistuje' },
  },
  category_outside_purpose: {
    status: 400,
    clause: 'P4',
    title: {
      en: 'Consent cannot cover data the purpose does not use',
      'zh-CN': '同意范围不能超出该目的所需的信息',
      cs: 'Souhlas nemůže zahrnovat údaje, které účel nepoužívá',
    },
  },
  sensitive_needs_separate: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'Sensitive categories need a separate, explicit consent of their own',
      'zh-CN': '敏感个人信息须单独、明确同意',
      cs: 'Citlivé kategorie vyžadují samostatný výslovný souhlas',
    },
  },
  recipient_required: {
    status: 400,
    clause: 'P5.1.1',
    title: {
      en: 'Consent to share or transfer must name the recipient',
      'zh-CN': '共享或转让的同意必须写明接收方',
      cs: 'Souhlas se sdílením nebo předáním musí uvádět příjemce',
    },
  },
  already_withdrawn: {
    status: 409,
    clause: 'P8.5',
    title: {
      en: 'This consent was already withdrawn',
      'zh-CN': '该同意已被撤回',
      cs: 'Tento souhlas už byl odvolán',
    },
  },
});

import { defineErrors } from '../../kernel/errors.ts';

export const sharingErrors = defineErrors('sharing', {
  unknown_partner: {
    status: 404,
    title: { en: 'No such partner', 'zh-CN': '没有该合作方', cs: 'Takový partner neexistuje' },
  },
  purpose_not_agreed: {
    status: 403,
    clause: 'P5.3.1',
    title: {
      en: 'The partner’s agreement does not cover this purpose',
      'zh-CN': '合作协议未涵盖该目的',
      cs: 'Smlouva s partnerem tento účel nepokrývá',
    },
  },
  field_not_allowed: {
    status: 403,
    clause: 'P5.1.4',
    title: {
      en: 'The partner may not receive this data',
      'zh-CN': '该合作方无权接收此信息',
      cs: 'Partner tyto údaje nesmí obdržet',
    },
  },
  cross_border: {
    status: 403,
    clause: 'P6.1',
    title: {
      en: 'Destination outside the data-residency region needs separate cross-border consent',
      'zh-CN': '向境外提供个人信息需要单独同意',
      cs: 'Předání mimo region uložení dat vyžaduje samostatný souhlas',
    },
  },
  wrong_basis: {
    status: 403,
    clause: 'P5.2',
    title: {
      en: 'This operation needs a different legal basis',
      'zh-CN': '该操作需要其他合法依据',
      cs: 'Tato operace vyžaduje jiný právní základ',
    },
  },
  restriction_needs_end: {
    status: 400,
    clause: 'P5.3.3',
    title: {
      en: 'A restriction on telling the person must have an end date in the future',
      'zh-CN': '限制告知须有未来的截止日期',
      cs: 'Omezení informování osoby musí mít budoucí datum konce',
    },
  },
  invalid_partner: {
    status: 400,
    title: {
      en: 'The partner registration is not valid',
      'zh-CN': '合作方登记无效',
      cs: 'Registrace partnera není platná',
    },
  },
});

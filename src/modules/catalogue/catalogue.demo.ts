/** Demo departments and services, seeded into an empty database so the portal is not empty. */
import type { Texts } from './catalogue.repository.ts';

interface DemoDepartment {
  slug: string;
  name: Texts;
  services: { slug: string; name: Texts; summary: Texts }[];
}

export const demoCatalogue: DemoDepartment[] = [
  {
    slug: 'housing-fund',
    name: { 'zh-CN': '住房公积金管理中心', en: 'Housing Provident Fund Centre', cs: 'Správa bytového fondu' },
    services: [
      {
        slug: 'housing-fund-account',
        name: { 'zh-CN': '公积金账户查询', en: 'Provident fund account', cs: 'Účet bytového fondu' },
        summary: {
          'zh-CN': '查询缴存记录和余额，打印缴存证明。',
          en: 'See contributions and balance, print a contribution statement.',
          cs: 'Přehled příspěvků a zůstatku, tisk potvrzení o příspěvcích.',
        },
      },
      {
        slug: 'housing-fund-withdrawal',
        name: { 'zh-CN': '公积金提取', en: 'Provident fund withdrawal', cs: 'Výběr z bytového fondu' },
        summary: {
          'zh-CN': '购房、租房或退休时申请提取公积金。',
          en: 'Apply to withdraw savings for buying or renting a home, or on retirement.',
          cs: 'Žádost o výběr úspor na koupi nebo nájem bydlení či při odchodu do důchodu.',
        },
      },
    ],
  },
  {
    slug: 'social-security',
    name: {
      'zh-CN': '人力资源和社会保障局',
      en: 'Human Resources and Social Security Bureau',
      cs: 'Úřad práce a sociálního zabezpečení',
    },
    services: [
      {
        slug: 'social-insurance-record',
        name: { 'zh-CN': '社保缴费记录', en: 'Social insurance record', cs: 'Záznam o sociálním pojištění' },
        summary: {
          'zh-CN': '查询养老、医疗、失业保险的缴费记录。',
          en: 'See pension, medical and unemployment insurance contributions.',
          cs: 'Přehled odvodů na důchodové, zdravotní a nemocenské pojištění.',
        },
      },
      {
        slug: 'pension-certification',
        name: { 'zh-CN': '养老金资格认证', en: 'Pension eligibility check', cs: 'Ověření nároku na důchod' },
        summary: {
          'zh-CN': '领取养老金人员每年在线完成资格认证。',
          en: 'Pensioners confirm their eligibility online once a year.',
          cs: 'Důchodci jednou ročně online potvrdí svůj nárok.',
        },
      },
    ],
  },
  {
    slug: 'transport',
    name: { 'zh-CN': '交通运输局', en: 'Transport Bureau', cs: 'Odbor dopravy' },
    services: [
      {
        slug: 'transit-card',
        name: { 'zh-CN': '公共交通卡', en: 'Public transport card', cs: 'Karta veřejné dopravy' },
        summary: {
          'zh-CN': '办理、充值交通卡，查询乘车记录。',
          en: 'Apply for and top up a transport card, see journeys.',
          cs: 'Vydání a dobití karty, přehled jízd.',
        },
      },
    ],
  },
  {
    slug: 'tax',
    name: { 'zh-CN': '税务局', en: 'Tax Bureau', cs: 'Finanční úřad' },
    services: [
      {
        slug: 'income-tax-return',
        name: { 'zh-CN': '个人所得税年度汇算', en: 'Annual income tax return', cs: 'Roční daňové přiznání' },
        summary: {
          'zh-CN': '在线办理个人所得税年度汇算清缴。',
          en: 'File the annual individual income tax reconciliation online.',
          cs: 'Podání ročního zúčtování daně z příjmů online.',
        },
      },
    ],
  },
  {
    slug: 'household-registration',
    name: { 'zh-CN': '公安局户政管理', en: 'Household Registration Office', cs: 'Evidence obyvatel' },
    services: [
      {
        slug: 'household-certificate',
        name: {
          'zh-CN': '户籍证明',
          en: 'Household registration certificate',
          cs: 'Potvrzení o trvalém pobytu',
        },
        summary: {
          'zh-CN': '申请开具户籍证明。',
          en: 'Request a certificate of household registration.',
          cs: 'Žádost o potvrzení o trvalém pobytu.',
        },
      },
      {
        slug: 'residence-permit',
        name: { 'zh-CN': '居住证办理', en: 'Residence permit', cs: 'Povolení k pobytu' },
        summary: {
          'zh-CN': '在居住地申请或续签居住证。',
          en: 'Apply for or renew a residence permit where you live.',
          cs: 'Žádost o povolení k pobytu v místě bydliště nebo jeho prodloužení.',
        },
      },
    ],
  },
];

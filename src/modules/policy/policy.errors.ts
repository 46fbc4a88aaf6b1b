import { defineErrors } from '../../kernel/errors.ts';

export const policyErrors = defineErrors('policy', {
  unknown_document: {
    status: 404,
    clause: 'P9',
    title: {
      en: 'No such policy document, version or language',
      'zh-CN': '没有该政策文本、版本或语言',
      cs: 'Takový dokument zásad, verze nebo jazyk neexistuje',
    },
  },
  text_not_of_document: {
    status: 400,
    clause: 'P9',
    title: {
      en: 'The text shown is not the text of the policy document it names',
      'zh-CN': '所展示的文本与其所引用的政策文本不一致',
      cs: 'Zobrazený text není textem dokumentu zásad, na který odkazuje',
    },
  },
  already_published: {
    status: 409,
    clause: 'P9',
    title: {
      en: 'This version is already published with another text: publish a new version',
      'zh-CN': '该版本已以其他文本发布，请发布新版本',
      cs: 'Tato verze už byla zveřejněna s jiným textem: zveřejněte novou verzi',
    },
  },
  version_settled: {
    status: 409,
    clause: 'P9.version',
    title: {
      en: 'This version is already scheduled or discarded: it no longer changes',
      'zh-CN': '该版本已排期或已放弃，不能再修改',
      cs: 'Tato verze je už naplánovaná nebo zahozená: už se nemění',
    },
  },
  invalid_version: {
    status: 400,
    clause: 'P9.version',
    title: {
      en: 'The version is not complete or not valid',
      'zh-CN': '该版本不完整或无效',
      cs: 'Verze není úplná nebo platná',
    },
  },
  notice_too_short: {
    status: 400,
    clause: 'P9.notice',
    title: {
      en: 'A material change must be announced before it takes effect: choose a later effective date',
      'zh-CN': '重大变更必须在生效前公告：请选择更晚的生效日期',
      cs: 'Podstatnou změnu je třeba oznámit před účinností: zvolte pozdější datum účinnosti',
    },
  },
  forbidden: {
    status: 403,
    clause: 'P7.2.roles',
    title: {
      en: 'Only the data-protection officer drafts and schedules policy versions',
      'zh-CN': '只有数据保护负责人可以起草和排期政策版本',
      cs: 'Verze zásad připravuje a plánuje jen pověřenec pro ochranu osobních údajů',
    },
  },
});

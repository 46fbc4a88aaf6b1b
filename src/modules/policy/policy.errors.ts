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
});

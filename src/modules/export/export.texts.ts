/** The words of the archive's HTML copy, in the person's language (the module writes the file, not a page). */
import type { Locale } from '../../kernel/locale.ts';
import type { ArchiveTexts } from './export.archive.ts';

export const archiveTexts: Record<Locale, ArchiveTexts> = {
  en: {
    title: 'My data at Civitas',
    intro:
      'Everything Civitas holds about you, section by section, as it was when this copy was made. The JSON file of the same archive holds the same data for programs (docs/export-format.md).',
    generated: 'Made on',
    rows: '{n} entries',
    empty: 'Nothing held.',
    contents: 'Sections',
    timeZone: 'all times are China Standard Time, UTC+8',
  },
  'zh-CN': {
    title: '我在 Civitas 的个人信息',
    intro:
      'Civitas 保存的关于您的全部信息，按类别列出，截至本副本生成之时。同一副本的 JSON 文件以机器可读的格式包含相同的信息。',
    generated: '生成时间',
    rows: '共 {n} 条',
    empty: '没有相关信息。',
    contents: '目录',
    timeZone: '时间均为北京时间',
  },
  cs: {
    title: 'Moje údaje v Civitas',
    intro:
      'Vše, co o vás Civitas uchovává, po oddílech, ve stavu ke chvíli vytvoření této kopie. Soubor JSON téhož archivu obsahuje stejné údaje pro počítačové zpracování.',
    generated: 'Vytvořeno',
    rows: 'Záznamů: {n}',
    empty: 'Nic není uloženo.',
    contents: 'Oddíly',
    timeZone: 'všechny časy jsou čínský standardní čas, UTC+8',
  },
};

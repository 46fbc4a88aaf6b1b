/** The export module's errors (one catalogue: kernel/errors.ts; docs/errors.md). */
import { defineErrors } from '../../kernel/errors.ts';

export const exportErrors = defineErrors('export', {
  not_found: {
    status: 404,
    clause: 'P8.1.export',
    title: {
      en: 'There is no such archive of your data',
      'zh-CN': '没有这份个人信息副本',
      cs: 'Takový archiv vašich údajů neexistuje',
    },
  },
  not_ready: {
    status: 409,
    clause: 'P8.1.export',
    title: {
      en: 'This archive is not ready yet',
      'zh-CN': '这份副本尚未准备好',
      cs: 'Tento archiv ještě není připraven',
    },
  },
  expired: {
    status: 410,
    clause: 'P8.1.export',
    title: {
      en: 'This download link has expired and the archive was deleted: prepare a new one',
      'zh-CN': '下载链接已过期，副本已删除，请重新生成',
      cs: 'Platnost odkazu vypršela a archiv byl smazán: připravte nový',
    },
  },
});

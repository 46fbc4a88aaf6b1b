import { defineErrors } from '../../kernel/errors.ts';

export const deliveryErrors = defineErrors('delivery', {
  not_offered: {
    status: 400,
    clause: 'P2.3',
    title: {
      en: 'This service has not declared delivery by post, so it may not ask for a delivery address',
      'zh-CN': '该服务未登记邮寄办理结果，不能收集邮寄地址',
      cs: 'Tato služba neohlásila doručování poštou, nesmí proto žádat adresu pro doručení',
    },
  },
  unknown_service: {
    status: 400,
    title: {
      en: 'No registered department service has this client ID',
      'zh-CN': '没有使用该客户端 ID 的已登记部门服务',
      cs: 'Žádná registrovaná služba úřadu nemá toto ID klienta',
    },
  },
  redirect_not_registered: {
    status: 400,
    title: {
      en: 'The return address is not one the service registered',
      'zh-CN': '返回地址不是该服务登记的地址',
      cs: 'Návratová adresa není mezi adresami, které služba zaregistrovala',
    },
  },
  not_found: {
    status: 404,
    clause: 'P2.4',
    title: {
      en: 'No such delivery for this department',
      'zh-CN': '本部门没有该邮寄记录',
      cs: 'Tento úřad takové doručení nemá',
    },
  },
  erased: {
    status: 410,
    clause: 'P6.2',
    title: {
      en: 'This delivery contact has been deleted: its retention ended or the person deleted it',
      'zh-CN': '该邮寄联系人信息已删除：保存期限已到或本人已删除',
      cs: 'Tento kontakt pro doručení byl smazán: uplynula doba uchování nebo ho osoba smazala',
    },
  },
});

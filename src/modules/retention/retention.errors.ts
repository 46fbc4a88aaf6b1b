import { defineErrors } from '../../kernel/errors.ts';

export const retentionErrors = defineErrors('retention', {
  forbidden: {
    status: 403,
    clause: 'P7.2.roles',
    title: {
      en: 'Only the data protection officer records and ends legal holds',
      'zh-CN': '仅个人信息保护负责人可以登记和解除依法保全',
      cs: 'Zákonná uchování zaznamenává a ukončuje jen pověřenec pro ochranu osobních údajů',
    },
  },
  invalid_hold: {
    status: 400,
    clause: 'P6.2.hold',
    title: {
      en: 'A legal hold needs whom or which categories it covers, its basis, the reason, the authority, the document, and an end or review date in the future',
      'zh-CN': '依法保全须写明保全对象或信息类别、依据、原因、机关、文书，以及未来的截止日期或复核日期',
      cs: 'Zákonné uchování potřebuje, koho nebo které kategorie se týká, právní základ, důvod, orgán, dokument a budoucí datum konce nebo přezkumu',
    },
  },
  unknown_person: {
    status: 400,
    clause: 'P6.2.hold',
    title: {
      en: 'No account has this ID number or mobile number',
      'zh-CN': '没有账号使用该身份证号码或手机号码',
      cs: 'Žádný účet nemá toto číslo průkazu ani mobilní číslo',
    },
  },
  unknown_hold: {
    status: 404,
    title: { en: 'No such legal hold', 'zh-CN': '没有该依法保全', cs: 'Takové zákonné uchování neexistuje' },
  },
  hold_ended: {
    status: 409,
    clause: 'P6.2.hold',
    title: {
      en: 'This legal hold has already ended',
      'zh-CN': '该依法保全已经解除',
      cs: 'Toto zákonné uchování už skončilo',
    },
  },
});

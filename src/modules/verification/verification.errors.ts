import { defineErrors } from '../../kernel/errors.ts';

export const verificationErrors = defineErrors('verification', {
  registry_mismatch: {
    status: 422,
    clause: 'P2.1',
    title: {
      en: 'The population registry does not confirm this name and ID number; check them, or correct them below',
      'zh-CN': '人口信息库未能核实该姓名与身份证号码，请核对或在下方更正',
      cs: 'Evidence obyvatel toto jméno a číslo průkazu nepotvrzuje; zkontrolujte je nebo je níže opravte',
    },
  },
  face_mismatch: {
    status: 422,
    clause: 'P2.1',
    title: {
      en: 'Your photo did not match the registry photo; take a new photo facing the camera in good light',
      'zh-CN': '照片与人口信息库照片不一致，请在光线充足处正对镜头重新拍摄',
      cs: 'Snímek neodpovídá fotografii v evidenci; vyfoťte se znovu čelem k fotoaparátu a při dobrém světle',
    },
  },
  liveness_failed: {
    status: 422,
    clause: 'P2.1',
    title: {
      en: 'The photo does not look like a live capture; take it with your camera now, not from a picture',
      'zh-CN': '未通过活体检测，请使用摄像头现场拍摄，不要翻拍照片',
      cs: 'Snímek nevypadá jako živý záběr; pořiďte ho teď fotoaparátem, ne z fotografie',
    },
  },
  bank_mismatch: {
    status: 422,
    clause: 'P2.1',
    title: {
      en: 'The bank does not confirm this card for your name, ID number and the phone number given to the bank',
      'zh-CN': '银行未能核实该银行卡与您的姓名、身份证号码及银行预留手机号一致',
      cs: 'Banka nepotvrzuje tuto kartu pro vaše jméno, číslo průkazu a telefon uvedený u banky',
    },
  },
  partner_unavailable: {
    status: 503,
    title: {
      en: 'The verification service cannot be reached right now; try again later (this try is not counted)',
      'zh-CN': '核验服务暂时无法连接，请稍后重试（本次不计入次数）',
      cs: 'Ověřovací služba je nyní nedostupná; zkuste to později (tento pokus se nepočítá)',
    },
  },
  too_many_attempts: {
    status: 429,
    clause: 'P7.3',
    title: {
      en: 'Too many verification attempts today; try again tomorrow or visit a service hall',
      'zh-CN': '今日核验次数过多，请明天再试或前往政务服务大厅',
      cs: 'Příliš mnoho pokusů o ověření dnes; zkuste to zítra nebo navštivte úřad',
    },
  },
  level_required: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'Complete the previous level first',
      'zh-CN': '请先完成上一级核验',
      cs: 'Nejprve dokončete předchozí úroveň',
    },
  },
  invalid_image: {
    status: 400,
    title: {
      en: 'Choose a photo (JPEG or PNG, at most 4 MB)',
      'zh-CN': '请选择照片（JPEG 或 PNG，不超过 4 MB）',
      cs: 'Vyberte fotografii (JPEG nebo PNG, nejvýše 4 MB)',
    },
  },
  invalid_card: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'This is not a valid bank card number',
      'zh-CN': '银行卡号无效',
      cs: 'Toto není platné číslo bankovní karty',
    },
  },
  invalid_phone: {
    status: 400,
    title: {
      en: 'Enter the 11-digit mobile number you gave to the bank',
      'zh-CN': '请输入 11 位银行预留手机号',
      cs: 'Zadejte 11místné mobilní číslo, které jste uvedli u banky',
    },
  },
  nothing_to_correct: {
    status: 400,
    title: {
      en: 'Enter the corrected name or ID number',
      'zh-CN': '请填写更正后的姓名或身份证号码',
      cs: 'Zadejte opravené jméno nebo číslo průkazu',
    },
  },
  person_not_found: {
    status: 404,
    title: {
      en: 'No account has this ID number',
      'zh-CN': '没有使用该身份证号码的账号',
      cs: 'Žádný účet nemá toto číslo průkazu',
    },
  },
  illegal_transition: {
    status: 409,
    title: {
      en: 'This verification attempt has already ended',
      'zh-CN': '该核验已结束',
      cs: 'Tento pokus o ověření již skončil',
    },
  },
  document_required: {
    status: 400,
    title: {
      en: 'Choose the document you checked, and confirm you compared its photo with the person',
      'zh-CN': '请选择所查验的证件，并确认已将证件照片与本人比对',
      cs: 'Vyberte kontrolovaný doklad a potvrďte, že jste porovnali fotografii s osobou',
    },
  },
  holder_verified: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'The account holding this ID number has proved it (level 2 or above): it cannot be released at the desk. The person contacts support with their document',
      'zh-CN': '持有该身份证号码的账号已完成实名核验（二级及以上）：不能在窗口解除。请本人携带证件联系客服',
      cs: 'Účet s tímto číslem průkazu ho prokázal (úroveň 2 nebo vyšší): na přepážce ho nelze uvolnit. Osoba se s dokladem obrátí na podporu',
    },
  },
  holder_changed: {
    status: 409,
    clause: 'P2.1',
    title: {
      en: 'The ID number is no longer held by the account you saw: look it up again',
      'zh-CN': '该身份证号码已不在您查看的账号名下：请重新查询',
      cs: 'Číslo průkazu už nepatří účtu, který jste viděli: vyhledejte ho znovu',
    },
  },
  holder_not_confirmed: {
    status: 400,
    clause: 'P2.1',
    title: {
      en: 'Confirm that the account shown is not the person’s own before releasing its ID number',
      'zh-CN': '解除身份证号码前，请确认所显示的账号不是本人的账号',
      cs: 'Před uvolněním čísla průkazu potvrďte, že zobrazený účet není účtem této osoby',
    },
  },
});

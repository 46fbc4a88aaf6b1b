/** The refusals of the incident record (P7.2i): each names its reason and the clause. */
import { defineErrors } from '../../kernel/errors.ts';

export const incidentErrors = defineErrors('incident', {
  unknown: {
    status: 404,
    title: {
      en: 'No such incident',
      'zh-CN': '没有该安全事件',
      cs: 'Takový incident neexistuje',
    },
  },
  invalid: {
    status: 422,
    clause: 'P7.2i',
    title: {
      en: 'The incident record is not complete or not valid',
      'zh-CN': '安全事件记录不完整或无效',
      cs: 'Záznam o incidentu není úplný nebo platný',
    },
  },
  transition_refused: {
    status: 409,
    clause: 'P7.2i',
    title: {
      en: 'The incident cannot take this step from where it is now',
      'zh-CN': '该安全事件当前无法进行此步骤',
      cs: 'Incident nemůže z tohoto stavu udělat tento krok',
    },
  },
  closed: {
    status: 409,
    clause: 'P7.2i',
    title: {
      en: 'The incident is closed: reopen it first',
      'zh-CN': '该安全事件已结束：请先重新打开',
      cs: 'Incident je uzavřen: nejprve jej znovu otevřete',
    },
  },
  not_scoped: {
    status: 409,
    clause: 'P7.2i',
    title: {
      en: 'The affected people have not been determined yet: freeze the scope first',
      'zh-CN': '尚未确定受影响的用户：请先确定影响范围',
      cs: 'Dotčené osoby ještě nebyly určeny: nejprve uzavřete rozsah',
    },
  },
  already_scoped: {
    status: 409,
    clause: 'P7.2i',
    title: {
      en: 'The affected people were already determined for this incident',
      'zh-CN': '该安全事件的受影响用户已经确定',
      cs: 'Dotčené osoby tohoto incidentu již byly určeny',
    },
  },
  not_reported: {
    status: 409,
    clause: 'P7.2i',
    title: {
      en: 'The report to the cyberspace authority has not been recorded yet',
      'zh-CN': '尚未记录向网信部门的报告',
      cs: 'Hlášení úřadu pro kyberprostor ještě nebylo zaznamenáno',
    },
  },
  not_allowed: {
    status: 403,
    clause: 'P7.2',
    title: {
      en: 'Only the security officer runs incidents; the data protection officer may read them',
      'zh-CN': '只有安全负责人可以处置安全事件；个人信息保护负责人可以查看',
      cs: 'Incidenty řídí pouze bezpečnostní pracovník; pověřenec je může číst',
    },
  },
});

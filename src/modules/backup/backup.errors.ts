import { defineErrors } from '../../kernel/errors.ts';

/** Refusals of backups and restores; each names what the operator must change. */
export const backupErrors = defineErrors('backup', {
  outside_region: {
    status: 500,
    clause: 'P6.1',
    title: {
      en: 'A backup destination is outside the data-residency region',
      'zh-CN': '备份目的地不在数据驻留区域内',
      cs: 'Cíl zálohy leží mimo region, v němž mají data zůstat',
    },
  },
  retention_too_long: {
    status: 500,
    clause: 'P8.1.delete',
    title: {
      en: 'Backups would be kept longer than the erasure deadline',
      'zh-CN': '备份保留期长于删除期限',
      cs: 'Zálohy by se držely déle, než je lhůta pro výmaz',
    },
  },
  too_few_destinations: {
    status: 500,
    clause: 'P7.2.backup',
    title: {
      en: 'Production needs at least two backup destinations',
      'zh-CN': '生产环境至少需要两个备份目的地',
      cs: 'Provoz potřebuje alespoň dva cíle záloh',
    },
  },
  not_found: {
    status: 404,
    clause: 'P7.2.backup',
    title: {
      en: 'No such backup on that destination',
      'zh-CN': '该目的地上没有此备份',
      cs: 'Taková záloha v tomto cíli není',
    },
  },
  bad_signature: {
    status: 422,
    clause: 'P7.2.backup',
    title: {
      en: 'The backup’s manifest is not signed by the audit signing key: it is refused',
      'zh-CN': '备份清单未经审计签名密钥签名，已拒绝',
      cs: 'Manifest zálohy není podepsán auditním klíčem: záloha se odmítá',
    },
  },
  bad_hash: {
    status: 422,
    clause: 'P7.2.backup',
    title: {
      en: 'The backup file does not match its manifest (damaged or altered): it is refused',
      'zh-CN': '备份文件与清单不符（已损坏或被篡改），已拒绝',
      cs: 'Soubor zálohy neodpovídá manifestu (poškozen nebo změněn): odmítá se',
    },
  },
  target_not_empty: {
    status: 409,
    clause: 'P7.2.backup',
    title: {
      en: 'A restore goes only into an empty data directory or an empty database',
      'zh-CN': '只能恢复到空的数据目录或空数据库',
      cs: 'Obnova jde jen do prázdného datového adresáře nebo prázdné databáze',
    },
  },
  wrong_kind: {
    status: 409,
    clause: 'P7.2.backup',
    title: {
      en: 'This backup cannot be restored into that kind of target',
      'zh-CN': '此备份无法恢复到该类目标',
      cs: 'Tuto zálohu nelze obnovit do takového cíle',
    },
  },
  tool_missing: {
    status: 500,
    clause: 'P7.2.backup',
    title: {
      en: 'pg_dump or pg_restore is missing or older than the database server',
      'zh-CN': '缺少 pg_dump 或 pg_restore，或其版本低于数据库服务器',
      cs: 'pg_dump nebo pg_restore chybí nebo je starší než databázový server',
    },
  },
  ledger_broken: {
    status: 422,
    clause: 'P7.2.backup',
    title: {
      en: 'The erasure ledger does not verify: restore stopped so no erased person comes back',
      'zh-CN': '删除台账校验失败：已停止恢复，以免被删除的人重现',
      cs: 'Rejstřík výmazů se neověřil: obnova zastavena, aby se vymazaní lidé nevrátili',
    },
  },
});

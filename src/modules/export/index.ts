export {
  createExportService,
  builtInExporters,
  PREPARE_JOB,
  type ExportService,
  type ExportView,
  type Download,
} from './export.service.ts';
export {
  planExport,
  type Plan,
  type SectionPlan,
  type TableExporter,
  type Rows,
  type Row,
} from './export.engine.ts';
export { FORMAT, FORMAT_VERSION } from './export.archive.ts';
export { exportErrors } from './export.errors.ts';
export { exportLifecycle, type ExportState } from './export.lifecycle.ts';
export { exportData } from './export.data.ts';

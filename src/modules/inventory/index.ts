export { categories, fields, retentionRules, isField, categoryOf, isSensitive } from './inventory.ts';
export type { Category, Field, FieldSpec, RetentionRule } from './inventory.ts';
export {
  purposes,
  isPurpose,
  compatible,
  staffRolePurposes,
  mayUseFor,
  type PurposeId,
  type PurposeSpec,
  type StaffRole,
} from './purposes.ts';
export { subjectData } from './subject-data.ts';
export { inventoryData } from './inventory.data.ts';

/** The inventory holds no tables: it declares fields, categories and purposes in code. */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const inventoryData = declareSubjectData(import.meta.url, {});

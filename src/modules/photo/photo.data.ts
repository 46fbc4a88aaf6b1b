/** The photo module holds no tables: it cleans a photo in memory and hands it back. */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const photoData = declareSubjectData(import.meta.url, {});

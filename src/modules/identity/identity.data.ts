/**
 * What is left of the identity module (its four HTTP files, on their way to src/web/api/)
 * holds nothing about a person: its tables are declared by account, session and signin.
 * Delete this file with the folder when the HTTP files have moved.
 */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const identityData = declareSubjectData(import.meta.url, {});

/**
 * What staff account support holds about a person: nothing of its own. It reads accounts
 * through modules/account, sessions through modules/session and names and phones through
 * the vault (each read recorded there). Gathered by the inventory like every declaration.
 */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const supportData = declareSubjectData(import.meta.url, {});

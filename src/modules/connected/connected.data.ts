/**
 * What connected services hold about a person: nothing of their own. They read the
 * provider's grants (src/oidc, `oidc_model`), consents (modules/consent) and the access log
 * (the vault). Gathered by the inventory like every declaration.
 */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const connectedData = declareSubjectData(import.meta.url, {});

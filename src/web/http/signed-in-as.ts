/**
 * Whom the header names as signed in: the person's name once verified (assurance level 2
 * or more, the name then comes from a registry), else their phone number masked as
 * `138****5678`. Read by the person's own session (a self read, which the access log does
 * not list), once per page request as part of the principal (principal.ts).
 */
import { maskPhone } from '../../kernel/mask.ts';
import type { VaultService } from '../../modules/vault/index.ts';

export interface SignedInAs {
  /** The verified name; absent below level 2. */
  name?: string;
  /** The phone number with its middle digits hidden. */
  phone?: string;
}

export type WhoIsSignedIn = (subjectId: string, requestId: string) => Promise<SignedInAs>;

export function whoIsSignedIn(deps: {
  vault: VaultService;
  levelOf: (subjectId: string) => Promise<number>;
}): WhoIsSignedIn {
  return async (subjectId, requestId) => {
    const [level, read] = await Promise.all([
      deps.levelOf(subjectId),
      deps.vault.read({
        subjectId,
        actor: { type: 'self', id: subjectId, label: 'self' },
        purpose: 'service-provision',
        basis: { type: 'self' },
        fields: ['name', 'phone'],
        requestId,
      }),
    ]);
    const { name, phone } = read.values;
    return {
      ...(level >= 2 && name ? { name } : {}),
      ...(phone ? { phone: maskPhone(phone) } : {}),
    };
  };
}

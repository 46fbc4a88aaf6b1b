/**
 * Chooses each verification partner's client from the configuration: the HTTP client when
 * its URL is set (production requires all three, see config/load.ts), else the local
 * implementation over the seeded fictitious people. The local face partner resolves photo
 * references through the local registry, so the two work together in development.
 */
import type { Config } from '../kernel/config/index.ts';
import { HttpBankVerify, LocalBankVerify, type BankVerify } from './bank-verify.ts';
import { HttpFaceMatch, LocalFaceMatch, type FaceMatch } from './face-match.ts';
import {
  HttpPopulationRegistry,
  LocalPopulationRegistry,
  type PopulationRegistry,
} from './population-registry.ts';

export function createVerificationAdapters(
  c: Pick<
    Config,
    | 'populationRegistryUrl'
    | 'populationRegistryToken'
    | 'faceMatchUrl'
    | 'faceMatchToken'
    | 'bankVerifyUrl'
    | 'bankVerifyToken'
  >,
): { registry: PopulationRegistry; face: FaceMatch; bank: BankVerify } {
  const local = new LocalPopulationRegistry();
  const registry =
    c.populationRegistryUrl && c.populationRegistryToken
      ? new HttpPopulationRegistry({ baseUrl: c.populationRegistryUrl, token: c.populationRegistryToken })
      : local;
  const face =
    c.faceMatchUrl && c.faceMatchToken
      ? new HttpFaceMatch({ baseUrl: c.faceMatchUrl, token: c.faceMatchToken })
      : new LocalFaceMatch((ref) => local.photo(ref));
  const bank =
    c.bankVerifyUrl && c.bankVerifyToken
      ? new HttpBankVerify({ baseUrl: c.bankVerifyUrl, token: c.bankVerifyToken })
      : new LocalBankVerify();
  return { registry, face, bank };
}

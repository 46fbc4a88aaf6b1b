/**
 * The population registry: confirms that a name and resident ID number belong together
 * (L2), and issues a short-lived opaque reference to the person's registry photo, which
 * the face partner uses instead of any personal data (L3, P5.1.4). Protocol:
 * docs/adapters/population-registry.md. `HttpPopulationRegistry` speaks it; the
 * development fake over seeded people is src/dev/population-registry.ts.
 */
import { postJson, PartnerUnavailable, type PartnerEndpoint } from './partner-http.ts';

export interface RegistryQuery {
  name: string;
  idNumber: string;
}

/** `photoRef` is present on a match: an opaque, single-use reference to the registry photo. */
export interface RegistryAnswer {
  result: 'match' | 'mismatch';
  photoRef?: string;
}

export interface PopulationRegistry {
  verify(q: RegistryQuery): Promise<RegistryAnswer>;
}

export class HttpPopulationRegistry implements PopulationRegistry {
  constructor(private readonly ep: PartnerEndpoint) {}

  async verify(q: RegistryQuery): Promise<RegistryAnswer> {
    const body = await postJson('population-registry', this.ep, 'v1/identity-checks', {
      name: q.name,
      idNumber: q.idNumber,
    });
    if (body.result === 'mismatch') return { result: 'mismatch' };
    if (body.result === 'match' && typeof body.photoRef === 'string' && body.photoRef.length > 0)
      return { result: 'match', photoRef: body.photoRef };
    throw new PartnerUnavailable('population-registry', 'malformed response');
  }
}

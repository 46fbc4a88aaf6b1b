/**
 * The population registry: confirms that a name and resident ID number belong together
 * (L2), and issues a short-lived opaque reference to the person's registry photo, which
 * the face partner uses instead of any personal data (L3, P5.1.4). Protocol:
 * docs/adapters/population-registry.md. `HttpPopulationRegistry` speaks it;
 * `LocalPopulationRegistry` answers from the seeded people and records every request.
 */
import { randomBytes } from 'node:crypto';
import { postJson, serveJson, type PartnerEndpoint } from './partner-http.ts';
import { PartnerUnavailable } from './partner-http.ts';
import { registryPhoto, seededPeople, type SeedPerson } from './partner-seed.ts';

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

export class LocalPopulationRegistry implements PopulationRegistry {
  /** Every request exactly as received, for tests to inspect. */
  readonly received: RegistryQuery[] = [];
  private readonly refs = new Map<string, SeedPerson>();
  /** When set, the registry behaves as if it were down. */
  down = false;

  constructor(private readonly people: readonly SeedPerson[] = seededPeople) {}

  async verify(q: RegistryQuery): Promise<RegistryAnswer> {
    this.received.push({ ...q });
    if (this.down) throw new PartnerUnavailable('population-registry', 'local registry set down');
    const person = this.people.find(
      (p) => p.idNumber === q.idNumber.trim().toUpperCase() && p.name === q.name.trim(),
    );
    if (!person) return { result: 'mismatch' };
    const photoRef = `prr_${randomBytes(16).toString('base64url')}`;
    this.refs.set(photoRef, person);
    return { result: 'match', photoRef };
  }

  /** The registry photo behind a reference, used once (the face partner's side of the exchange). */
  photo(ref: string): Buffer | undefined {
    const person = this.refs.get(ref);
    this.refs.delete(ref);
    return person ? registryPhoto(person) : undefined;
  }
}

/** A development server speaking the registry protocol over a local implementation. */
export function servePopulationRegistry(local: LocalPopulationRegistry, token: string, port = 0) {
  return serveJson(
    token,
    {
      '/v1/identity-checks': async (b) => {
        if (typeof b.name !== 'string' || typeof b.idNumber !== 'string')
          return { status: 400, body: { error: 'malformed' } };
        return { status: 200, body: await local.verify({ name: b.name, idNumber: b.idNumber }) };
      },
    },
    port,
  );
}

/**
 * Development and tests: a population registry answering from the seeded people and
 * recording every request, and a server speaking the registry protocol
 * (docs/adapters/population-registry.md) over it. Never loaded in production.
 */
import { randomBytes } from 'node:crypto';
import type { PopulationRegistry, RegistryAnswer, RegistryQuery } from '../adapters/population-registry.ts';
import { PartnerUnavailable } from '../adapters/partner-http.ts';
import { registryPhoto, seededPeople, type SeedPerson } from './partner-seed.ts';
import { serveJson } from './partner-server.ts';

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

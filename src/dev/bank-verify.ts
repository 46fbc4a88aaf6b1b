/**
 * Development and tests: a bank four-element check answering from the seeded cards and
 * recording every request, and a server speaking the bank protocol
 * (docs/adapters/bank-verify.md) over it. Never loaded in production.
 */
import type { BankAnswer, BankVerify, FourElements } from '../adapters/bank-verify.ts';
import { PartnerUnavailable } from '../adapters/partner-http.ts';
import { seededPeople, type SeedPerson } from './partner-seed.ts';
import { serveJson } from './partner-server.ts';

export class LocalBankVerify implements BankVerify {
  readonly received: FourElements[] = [];
  down = false;

  constructor(private readonly people: readonly SeedPerson[] = seededPeople) {}

  async check(q: FourElements): Promise<BankAnswer> {
    this.received.push({ ...q });
    if (this.down) throw new PartnerUnavailable('bank-verify', 'local bank set down');
    const ok = this.people.some(
      (p) =>
        p.card &&
        p.name === q.name &&
        p.idNumber === q.idNumber &&
        p.card.number === q.cardNumber &&
        p.card.phone === q.phone,
    );
    return { result: ok ? 'match' : 'mismatch' };
  }
}

/** A development server speaking the bank protocol over a local implementation. */
export function serveBankVerify(local: LocalBankVerify, token: string, port = 0) {
  return serveJson(
    token,
    {
      '/v1/four-element-checks': async (b) => {
        const { name, idNumber, cardNumber, phone } = b;
        if (![name, idNumber, cardNumber, phone].every((v) => typeof v === 'string'))
          return { status: 400, body: { error: 'malformed' } };
        return {
          status: 200,
          body: await local.check({
            name: name as string,
            idNumber: idNumber as string,
            cardNumber: cardNumber as string,
            phone: phone as string,
          }),
        };
      },
    },
    port,
  );
}

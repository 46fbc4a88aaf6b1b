/**
 * The bank four-element check (L4): does this card belong to the person with this name
 * and resident ID number, with this phone number reserved at the bank? The bank answers
 * match or mismatch, nothing else. Protocol: docs/adapters/bank-verify.md.
 * `HttpBankVerify` speaks it; `LocalBankVerify` answers from the seeded cards and records
 * every request.
 */
import { postJson, PartnerUnavailable, serveJson, type PartnerEndpoint } from './partner-http.ts';
import { seededPeople, type SeedPerson } from './partner-seed.ts';

export interface FourElements {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

export interface BankAnswer {
  result: 'match' | 'mismatch';
}

export interface BankVerify {
  check(q: FourElements): Promise<BankAnswer>;
}

/** Luhn (ISO/IEC 7812) check of a card number: catches a mistyped digit before anything is sent. */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export class HttpBankVerify implements BankVerify {
  constructor(private readonly ep: PartnerEndpoint) {}

  async check(q: FourElements): Promise<BankAnswer> {
    const body = await postJson('bank-verify', this.ep, 'v1/four-element-checks', { ...q });
    if (body.result !== 'match' && body.result !== 'mismatch')
      throw new PartnerUnavailable('bank-verify', 'malformed response');
    return { result: body.result };
  }
}

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

/**
 * The bank four-element check (L4): does this card belong to the person with this name
 * and resident ID number, with this phone number reserved at the bank? The bank answers
 * match or mismatch, nothing else. Protocol: docs/adapters/bank-verify.md.
 * `HttpBankVerify` speaks it; the development fake over seeded cards is src/dev/bank-verify.ts.
 */
import { postJson, PartnerUnavailable, type PartnerEndpoint } from './partner-http.ts';

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

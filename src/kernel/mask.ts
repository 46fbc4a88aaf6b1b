/**
 * How a mobile number is shown where the whole number must not be: `138****5678` (with
 * `+86` kept when written), enough for a person to recognise their own number. One rule for
 * the header, company agent labels and the development SMS console: anything that is not a
 * number of at least seven digits is hidden whole, never passed through.
 */
export function maskPhone(phone: string): string {
  const m = /^(\+86)?(\d{3})\d+(\d{4})$/.exec(phone);
  return m ? `${m[1] ?? ''}${m[2]}****${m[3]}` : '****';
}

/**
 * How a resident ID number is shown to its own holder (P8.1.view): the region's first four
 * and the last four characters, the ten between hidden (`1101**********1234`): enough to
 * recognise it, not enough to use it. Anything that is not 18 characters is hidden whole.
 */
export function maskIdNumber(idNumber: string): string {
  const m = /^(\d{4})[0-9]{10}([0-9]{3}[0-9X])$/i.exec(idNumber);
  return m ? `${m[1]}**********${m[2]}` : '****';
}

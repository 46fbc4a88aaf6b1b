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

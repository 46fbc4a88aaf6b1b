/**
 * The HTTP/JSON plumbing shared by the verification partners' clients (population registry,
 * face match, bank four-element check): one POST with a bearer token and a timeout. The
 * server side, for the development servers, is src/dev/partner-server.ts. Each partner's
 * protocol is documented in docs/adapters/<partner>.md.
 *
 * A partner that does not answer, answers late, or answers outside its protocol is
 * "unavailable" (`PartnerUnavailable`): the caller leaves the attempt retryable. A partner's
 * well-formed "no" (a mismatch) is an answer, not an error.
 */
export class PartnerUnavailable extends Error {
  constructor(
    readonly partner: string,
    reason: string,
  ) {
    super(`${partner} unavailable: ${reason}`);
    this.name = 'PartnerUnavailable';
  }
}

export interface PartnerEndpoint {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** POSTs JSON to `{baseUrl}/{path}`; returns the JSON body of a 200, else throws PartnerUnavailable. */
export async function postJson(
  partner: string,
  ep: PartnerEndpoint,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, ep.baseUrl.endsWith('/') ? ep.baseUrl : `${ep.baseUrl}/`), {
      method: 'POST',
      headers: { authorization: `Bearer ${ep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ep.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new PartnerUnavailable(
      partner,
      (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed',
    );
  }
  if (res.status !== 200) throw new PartnerUnavailable(partner, `status ${res.status}`);
  const json = (await res.json().catch(() => undefined)) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PartnerUnavailable(partner, 'malformed response');
  return json as Record<string, unknown>;
}

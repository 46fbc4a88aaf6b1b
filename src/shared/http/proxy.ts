/**
 * Which reverse proxies Fastify believes (P7.3): every per-source limit keys on
 * `req.ip`, so believing a client-written X-Forwarded-For would give an attacker a fresh
 * bucket per request.
 *
 * Rules:
 * - No proxy (`false`): `req.ip` is the peer address.
 * - A hop count n: the n nearest hops are proxies, so `req.ip` is the address the
 *   outermost of them saw, and whatever the client wrote further left is ignored. Fastify
 *   5.12 treats a bare number as "trust nothing", so the count is given as a function. A
 *   hop count cannot tell the proxy from a client that reaches the port directly: the
 *   port must be reachable only through the proxy (docs/config.md says so; a list of
 *   proxy addresses does not have this weakness).
 * - A list of addresses or CIDR ranges: only those peers are believed (proxy-addr).
 * - Never "trust everything": the configuration refuses `TRUST_PROXY=true`.
 */
export type TrustProxySetting = false | number | readonly string[];

export function fastifyTrustProxy(
  setting: TrustProxySetting,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === 0) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return [...setting];
}

/**
 * Who is calling a department back-end API: the service whose client-credentials access
 * token (RFC 6750 bearer) came with the request.
 *
 * Rules:
 * - Only tokens this provider issued by the client-credentials grant count, unexpired, with
 *   scope `department-api`; a person's access token (issued to their browser's flow) is
 *   not a department's credential.
 * - The service must still be registered: removing a registration stops its tokens.
 * - A refusal carries `WWW-Authenticate` as RFC 6750 §3 asks.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RelyingParty, RelyingPartyRegistry } from '../modules/catalogue/index.ts';
import { AppError } from '../kernel/errors.ts';
import { departmentApiErrors } from './department-api.errors.ts';
import type { ProviderHolder } from './mount.ts';
import { DEPARTMENT_API_SCOPE } from './provider.ts';

export type DepartmentCaller = (req: FastifyRequest, reply: FastifyReply) => Promise<RelyingParty>;

export function departmentCaller(holder: ProviderHolder, registry: RelyingPartyRegistry): DepartmentCaller {
  return async (req, reply) => {
    const refuse = (code: string, error: string) => {
      reply.header('www-authenticate', `Bearer realm="civitas", error="${error}"`);
      return new AppError(code);
    };
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.headers.authorization ?? '')?.[1];
    const provider = holder.provider;
    if (!token || !provider) throw refuse(departmentApiErrors.invalid_token, 'invalid_token');
    const t = await provider.ClientCredentials.find(token);
    if (!t || t.isExpired || !t.clientId) throw refuse(departmentApiErrors.invalid_token, 'invalid_token');
    if (
      !String(t.scope ?? '')
        .split(' ')
        .includes(DEPARTMENT_API_SCOPE)
    )
      throw refuse(departmentApiErrors.insufficient_scope, 'insufficient_scope');
    const rp = await registry.find(t.clientId);
    if (!rp) throw refuse(departmentApiErrors.invalid_token, 'invalid_token');
    return rp;
  };
}

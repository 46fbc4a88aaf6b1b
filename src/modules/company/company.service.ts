/**
 * Company (legal-person) accounts: binding by the legal representative, agents, and the
 * acting identity of a session.
 *
 * Rules:
 * - P2.1 a company is identified by a unified social credit code that passes GB 32100 and
 *   that the company registry confirms; only a person verified to level L3 or above whom the
 *   registry names as legal representative may bind it; a revoked company cannot be bound;
 *   one company, one binding (unique blind index of company_registration in the vault).
 * - P5.1.4 the registry is a registered partner; the representative's ID number reaches it
 *   only through the sharing module (basis necessity, purpose real-name-verification), and
 *   the request carries the credit code and that ID number, nothing else.
 * - An agent's authorisation has scopes and an end date and is checked at each use: once
 *   revoked or past its end it grants nothing, with no job in between.
 * - Managing agents needs the scope manage-agents (the representative holds every scope).
 * - Every binding, refusal, authorisation, revocation and switch of acting identity is
 *   audited with the company as subject and `onBehalfOf` in the detail.
 */
import type { CompanyRegistry } from '../../adapters/company-registry.ts';
import { RegistryUnavailable } from '../../adapters/company-registry.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { assuranceLevel, checkCreditCode } from '../identity/index.ts';
import type { SharingService } from '../sharing/index.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import { companyErrors } from './company.errors.ts';
import * as repo from './company.repository.ts';
import { isScope, SCOPES, type Acting, type Scope } from './company.scopes.ts';

export const REGISTRY_PARTNER = 'company-registry';
export const BIND_LEVEL = 3;
const MAX_AGENT_DAYS = 5 * 366;

export interface CompanyView {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  role: 'representative' | 'agent';
  scopes: Scope[];
  validUntil?: Date;
}

export interface AgentView {
  id: string;
  label: string;
  scopes: Scope[];
  validUntil: Date;
}

export interface CompanyService {
  ensureRegistryPartner(): Promise<void>;
  bind(subjectId: string, creditCode: string, requestId: string): Promise<{ id: string; name: string }>;
  companies(subjectId: string): Promise<CompanyView[]>;
  /** The company as this person sees it; agents only with manage-agents. */
  company(subjectId: string, companyId: string): Promise<CompanyView & { agents?: AgentView[] }>;
  authorise(
    subjectId: string,
    companyId: string,
    grant: { phone: string; scopes: string[]; validUntil: Date },
    requestId: string,
  ): Promise<string>;
  revoke(subjectId: string, companyId: string, authorisationId: string, requestId: string): Promise<void>;
  /** Sets whom the session acts for (null: the person themself). */
  switchActing(
    session: { id: string; subjectId: string },
    companyId: string | null,
    requestId: string,
  ): Promise<Acting>;
  /** Whom the session acts for, re-checked now; an ended authorisation clears the choice and refuses. */
  actingFor(session: { id: string; subjectId: string }): Promise<Acting>;
}

export function createCompanyService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sharing: SharingService;
  registry: CompanyRegistry;
}): CompanyService {
  const { db, audit, vault, sharing, registry } = deps;
  const system: Actor = { type: 'system', id: 'company-binding', label: 'system:company-binding' };

  /** The person's role and scopes in a company right now, or undefined. */
  async function roleIn(subjectId: string, companyId: string) {
    const company = await repo.companyById(db, companyId);
    if (!company) return undefined;
    if (company.representativeId === subjectId)
      return { company, role: 'representative' as const, scopes: [...SCOPES] as Scope[] };
    const agent = await repo.liveAgent(db, companyId, subjectId);
    if (!agent) return undefined;
    return {
      company,
      role: 'agent' as const,
      scopes: agent.scopes.filter(isScope),
      validUntil: agent.validUntil,
    };
  }

  async function require(subjectId: string, companyId: string, scope?: Scope) {
    const r = await roleIn(subjectId, companyId);
    if (!r) throw new AppError(companyErrors.not_found);
    if (scope && !r.scopes.includes(scope))
      throw new AppError(companyErrors.scope_denied, `needs scope ${scope}`);
    return r;
  }

  const refuseBind = async (
    subjectId: string,
    code: string,
    detail: string | undefined,
    requestId: string,
  ) => {
    const err = new AppError(code, detail);
    await audit.append(db, {
      actor: { type: 'citizen', id: subjectId },
      action: 'company.bind_refused',
      subject: { type: 'person', id: subjectId },
      purpose: 'real-name-verification',
      clause: err.clause ?? null,
      detail: { code },
      requestId,
    });
    throw err;
  };

  return {
    async ensureRegistryPartner() {
      if ((await sharing.partners()).some((p) => p.slug === REGISTRY_PARTNER)) return;
      await sharing.registerPartner(
        {
          slug: REGISTRY_PARTNER,
          name: { 'zh-CN': '企业登记系统', en: 'Company registry', cs: 'Obchodní rejstřík' },
          kind: 'partner',
          agreementRef: 'REG-2026-001',
          region: 'CN',
          allowedCategories: ['id_document', 'business'],
          allowedPurposes: ['real-name-verification'],
        },
        { type: 'system', id: 'platform-start', label: 'system:platform-start' },
      );
    },

    async bind(subjectId, rawCode, requestId) {
      const creditCode = rawCode.trim().toUpperCase();
      const problem = checkCreditCode(creditCode);
      if (problem) throw new AppError(companyErrors.invalid_credit_code, problem);
      const level = await assuranceLevel(db, subjectId);
      if (level < BIND_LEVEL)
        return refuseBind(
          subjectId,
          companyErrors.level_too_low,
          `level L${level}, needs L${BIND_LEVEL}`,
          requestId,
        );
      if ((await vault.findSubject('company_registration', creditCode)).length > 0)
        throw new AppError(companyErrors.already_bound);
      // P5.1.4: the ID number leaves through the sharing rules (partner, purpose, basis, log).
      const shared = await sharing.share({
        subjectId,
        partner: REGISTRY_PARTNER,
        purpose: 'real-name-verification',
        fields: ['id_number'],
        basis: { type: 'necessity', service: 'company-binding' },
        by: system,
        requestId,
      });
      const idNumber = shared.values.id_number;
      if (!idNumber)
        return refuseBind(subjectId, companyErrors.level_too_low, 'no verified ID number', requestId);
      let answer;
      try {
        answer = await registry.checkRepresentative({ creditCode, idNumber });
      } catch (err) {
        if (err instanceof RegistryUnavailable) throw new AppError(companyErrors.registry_unavailable);
        throw err;
      }
      if (!answer) return refuseBind(subjectId, companyErrors.unknown_company, undefined, requestId);
      if (answer.status === 'revoked')
        return refuseBind(subjectId, companyErrors.company_revoked, undefined, requestId);
      if (!answer.representative)
        return refuseBind(subjectId, companyErrors.not_representative, undefined, requestId);
      const name = answer.name.slice(0, 200);
      const id = await db
        .tx(async (q) => {
          const orgId = await vault.createSubject('organisation', q);
          await vault.write(
            orgId,
            { company_registration: creditCode },
            { source: 'partner', purpose: 'service-provision', actor: system, requestId },
            q,
          );
          await repo.insertCompany(q, {
            id: orgId,
            name,
            status: answer.status,
            representativeId: subjectId,
          });
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'company.bound',
            subject: { type: 'organisation', id: orgId },
            purpose: 'real-name-verification',
            clause: 'P2.1',
            detail: { representative: subjectId, onBehalfOf: orgId, registry: REGISTRY_PARTNER },
            requestId,
          });
          return orgId;
        })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'vault.duplicate_value')
            throw new AppError(companyErrors.already_bound);
          throw err;
        });
      return { id, name };
    },

    async companies(subjectId) {
      const rows = await repo.companiesOf(db, subjectId);
      const out: CompanyView[] = [];
      for (const c of rows) {
        const r = await roleIn(subjectId, c.id);
        if (!r) continue;
        out.push({
          id: c.id,
          name: c.name,
          status: c.status,
          role: r.role,
          scopes: r.scopes,
          ...('validUntil' in r ? { validUntil: r.validUntil } : {}),
        });
      }
      return out;
    },

    async company(subjectId, companyId) {
      const r = await require(subjectId, companyId);
      const view: CompanyView & { agents?: AgentView[] } = {
        id: r.company.id,
        name: r.company.name,
        status: r.company.status,
        role: r.role,
        scopes: r.scopes,
        ...('validUntil' in r ? { validUntil: r.validUntil } : {}),
      };
      if (r.scopes.includes('manage-agents')) {
        view.agents = (await repo.liveAgents(db, companyId)).map((a) => ({
          id: a.id,
          label: a.label,
          scopes: a.scopes.filter(isScope),
          validUntil: a.validUntil,
        }));
      }
      return view;
    },

    async authorise(subjectId, companyId, grant, requestId) {
      const r = await require(subjectId, companyId, 'manage-agents');
      const scopes = [...new Set(grant.scopes)];
      const days = (grant.validUntil.getTime() - Date.now()) / 86_400_000;
      if (scopes.length === 0 || !scopes.every(isScope) || !(days > 0) || days > MAX_AGENT_DAYS)
        throw new AppError(companyErrors.invalid_agent);
      const phone = grant.phone.trim();
      const [agentId] = /^1[3-9]\d{9}$/.test(phone) ? await vault.findSubject('phone', phone) : [];
      if (!agentId) throw new AppError(companyErrors.agent_not_registered);
      if (agentId === subjectId || agentId === r.company.representativeId)
        throw new AppError(companyErrors.invalid_agent, 'the representative holds every scope already');
      return db.tx(async (q) => {
        const id = await repo.insertAgent(q, {
          companyId,
          agentId,
          label: phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2'),
          scopes,
          validUntil: grant.validUntil,
          grantedBy: subjectId,
        });
        if (!id) throw new AppError(companyErrors.agent_exists);
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'company.agent_authorised',
          subject: { type: 'organisation', id: companyId },
          purpose: 'service-provision',
          detail: {
            onBehalfOf: companyId,
            actingAs: r.role,
            authorisation: id,
            agent: agentId,
            scopes,
            validUntil: grant.validUntil.toISOString(),
          },
          requestId,
        });
        return id;
      });
    },

    async revoke(subjectId, companyId, authorisationId, requestId) {
      const r = await require(subjectId, companyId, 'manage-agents');
      await db.tx(async (q) => {
        const agentId = await repo.revokeAgent(q, companyId, authorisationId);
        if (!agentId) throw new AppError(companyErrors.not_found);
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'company.agent_revoked',
          subject: { type: 'organisation', id: companyId },
          purpose: 'service-provision',
          detail: { onBehalfOf: companyId, actingAs: r.role, authorisation: authorisationId, agent: agentId },
          requestId,
        });
      });
    },

    async switchActing(session, companyId, requestId) {
      const r = companyId ? await require(session.subjectId, companyId) : undefined;
      await db.tx(async (q) => {
        await repo.setActing(q, session.id, companyId);
        await audit.append(q, {
          actor: { type: 'citizen', id: session.subjectId },
          action: 'company.acting_switched',
          subject: r ? { type: 'organisation', id: r.company.id } : { type: 'person', id: session.subjectId },
          detail: r ? { onBehalfOf: r.company.id, actingAs: r.role } : { onBehalfOf: null },
          requestId,
        });
      });
      return r
        ? {
            subjectId: session.subjectId,
            onBehalfOf: { companyId: r.company.id, name: r.company.name, role: r.role },
            scopes: r.scopes,
          }
        : { subjectId: session.subjectId, scopes: [] };
    },

    async actingFor(session) {
      const companyId = await repo.actingChoice(db, session.id);
      if (!companyId) return { subjectId: session.subjectId, scopes: [] };
      const r = await roleIn(session.subjectId, companyId);
      if (!r) {
        await repo.setActing(db, session.id, null);
        throw new AppError(companyErrors.authorisation_ended);
      }
      return {
        subjectId: session.subjectId,
        onBehalfOf: { companyId, name: r.company.name, role: r.role },
        scopes: r.scopes,
      };
    },
  };
}

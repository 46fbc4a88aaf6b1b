/**
 * Company (legal-person) accounts: binding (company.binding.ts), agents, and the acting
 * identity of a session.
 *
 * Rules:
 * - An agent's authorisation has powers and an end date and is checked at each use: once
 *   revoked or past its end it grants nothing, with no job in between.
 * - Managing agents needs the power manage-agents (the representative holds every power).
 * - An authorisation moves only along company.lifecycle.ts (granted → revoked | expired).
 * - Every binding, refusal, authorisation, revocation and switch of acting identity is
 *   audited with the company as subject and `onBehalfOf` in the detail.
 */
import type { CompanyRegistry } from '../../adapters/company-registry.ts';
import type { Database } from '../../kernel/db/database.ts';
import { normaliseMobile } from '../account/index.ts';
import { maskPhone } from '../../kernel/mask.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { SharingService } from '../sharing/index.ts';
import type { VaultService } from '../vault/index.ts';
import { createBinding } from './company.binding.ts';
import { companyErrors } from './company.errors.ts';
import { agentLifecycle } from './company.lifecycle.ts';
import * as repo from './company.repository.ts';
import { isPower, POWERS, type Acting, type Power } from './company.powers.ts';
import { clock } from '../../kernel/clock.ts';

const MAX_AGENT_DAYS = 5 * 366;

export interface CompanyView {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  role: 'representative' | 'agent';
  /** Powers held (the JSON API calls them `scopes`). */
  powers: Power[];
  validUntil?: Date;
}

export interface AgentView {
  id: string;
  label: string;
  /** Powers granted (the JSON API calls them `scopes`). */
  powers: Power[];
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
    grant: { phone: string; powers: string[]; validUntil: Date },
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
  /** Active companies the person may act for with `power` now (single sign-on's choice). */
  representable(subjectId: string, power: Power): Promise<{ id: string; name: string; role: Role }[]>;
  /**
   * What a department service learns about the company the person acts for: checked now
   * (an ended authorisation or a revoked licence releases nothing); the credit code is read
   * through the vault with the service as actor, so the company's access log shows it.
   */
  releaseActing(
    subjectId: string,
    companyId: string,
    power: Power,
    service: { clientId: string; departmentSlug: string },
  ): Promise<{ credit_code: string; name: string; role: Role } | undefined>;
}

type Role = 'representative' | 'agent';

export function createCompanyService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sharing: SharingService;
  registry: CompanyRegistry;
}): CompanyService {
  const { db, audit, vault, sharing, registry } = deps;
  const binding = createBinding({ db, audit, vault, sharing, registry });

  /** The person's role and powers in a company right now, or undefined. */
  async function roleIn(subjectId: string, companyId: string) {
    const company = await repo.companyById(db, companyId);
    if (!company) return undefined;
    if (company.representativeId === subjectId)
      return { company, role: 'representative' as const, powers: [...POWERS] as Power[] };
    const agent = await repo.liveAgent(db, companyId, subjectId);
    if (!agent) return undefined;
    return {
      company,
      role: 'agent' as const,
      powers: agent.scopes.filter(isPower),
      validUntil: agent.validUntil,
    };
  }

  async function requireRole(subjectId: string, companyId: string, power?: Power) {
    const r = await roleIn(subjectId, companyId);
    if (!r) throw new AppError(companyErrors.not_found);
    if (power && !r.powers.includes(power))
      throw new AppError(companyErrors.scope_denied, `needs power ${power}`);
    return r;
  }

  async function companies(subjectId: string): Promise<CompanyView[]> {
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
        powers: r.powers,
        ...('validUntil' in r ? { validUntil: r.validUntil } : {}),
      });
    }
    return out;
  }

  return {
    ...binding,

    async representable(subjectId, power) {
      const all = await companies(subjectId);
      return all
        .filter((c) => c.status === 'active' && c.powers.includes(power))
        .map((c) => ({ id: c.id, name: c.name, role: c.role }));
    },

    async releaseActing(subjectId, companyId, power, service) {
      const r = await roleIn(subjectId, companyId);
      if (!r || r.company.status !== 'active' || !r.powers.includes(power)) return undefined;
      const { values } = await vault.read({
        subjectId: companyId,
        actor: { type: 'department', id: service.clientId, label: `department:${service.departmentSlug}` },
        purpose: 'service-provision',
        basis: { type: 'necessity', service: service.clientId },
        fields: ['company_registration'],
      });
      const code = values.company_registration;
      return code ? { credit_code: code, name: r.company.name, role: r.role } : undefined;
    },

    companies,

    async company(subjectId, companyId) {
      const r = await requireRole(subjectId, companyId);
      const view: CompanyView & { agents?: AgentView[] } = {
        id: r.company.id,
        name: r.company.name,
        status: r.company.status,
        role: r.role,
        powers: r.powers,
        ...('validUntil' in r ? { validUntil: r.validUntil } : {}),
      };
      if (r.powers.includes('manage-agents')) {
        view.agents = (await repo.liveAgents(db, companyId)).map((a) => ({
          id: a.id,
          label: a.label,
          powers: a.scopes.filter(isPower),
          validUntil: a.validUntil,
        }));
      }
      return view;
    },

    async authorise(subjectId, companyId, grant, requestId) {
      const r = await requireRole(subjectId, companyId, 'manage-agents');
      const powers = [...new Set(grant.powers)];
      const days = (grant.validUntil.getTime() - clock.now()) / 86_400_000;
      if (powers.length === 0 || !powers.every(isPower) || !(days > 0) || days > MAX_AGENT_DAYS)
        throw new AppError(companyErrors.invalid_agent);
      const phone = normaliseMobile(grant.phone) ?? '';
      const [agentId] = phone ? await vault.findSubject('phone', phone) : [];
      if (!agentId) throw new AppError(companyErrors.agent_not_registered);
      if (agentId === subjectId || agentId === r.company.representativeId)
        throw new AppError(companyErrors.invalid_agent, 'the representative holds every power already');
      return db.tx(async (q) => {
        await repo.expireEnded(q, companyId, agentId, agentLifecycle.statesAllowing('expire'));
        const id = await repo.insertAgent(q, {
          companyId,
          agentId,
          label: maskPhone(phone),
          scopes: powers,
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
            scopes: powers,
            validUntil: grant.validUntil.toISOString(),
          },
          requestId,
        });
        return id;
      });
    },

    async revoke(subjectId, companyId, authorisationId, requestId) {
      const r = await requireRole(subjectId, companyId, 'manage-agents');
      await db.tx(async (q) => {
        const row = await repo.agentById(q, companyId, authorisationId);
        if (!row) throw new AppError(companyErrors.not_found);
        agentLifecycle.next(row.state, 'revoke'); // an ended one: company.not_found
        const agentId = await repo.revokeAgent(q, companyId, authorisationId, row.state);
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
      const r = companyId ? await requireRole(session.subjectId, companyId) : undefined;
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
            powers: r.powers,
          }
        : { subjectId: session.subjectId, powers: [] };
    },

    async actingFor(session) {
      const companyId = await repo.actingChoice(db, session.id);
      if (!companyId) return { subjectId: session.subjectId, powers: [] };
      const r = await roleIn(session.subjectId, companyId);
      if (!r) {
        await repo.setActing(db, session.id, null);
        throw new AppError(companyErrors.authorisation_ended);
      }
      return {
        subjectId: session.subjectId,
        onBehalfOf: { companyId, name: r.company.name, role: r.role },
        powers: r.powers,
      };
    },
  };
}

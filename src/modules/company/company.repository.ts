/** SQL for companies, their agents and the acting identity of sessions. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { AgentState } from './company.lifecycle.ts';

export interface CompanyRow {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  representativeId: string;
  boundAt: Date;
}

export interface AgentRow {
  id: string;
  companyId: string;
  agentId: string;
  label: string;
  scopes: string[];
  validUntil: Date;
  grantedAt: Date;
  state: AgentState;
}

const COMPANY = `subject_id AS id, name, registry_status AS status, representative_id AS "representativeId", bound_at AS "boundAt"`;
const AGENT = `id, company_id AS "companyId", agent_id AS "agentId", agent_label AS label, scopes,
  valid_until AS "validUntil", granted_at AS "grantedAt", state`;

export async function insertCompany(
  q: Queryable,
  c: { id: string; name: string; status: string; representativeId: string },
): Promise<void> {
  await q.query(
    'INSERT INTO company (subject_id, name, registry_status, representative_id) VALUES ($1, $2, $3, $4)',
    [c.id, c.name, c.status, c.representativeId],
  );
}

export async function companyById(q: Queryable, id: string): Promise<CompanyRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query<CompanyRow>(`SELECT ${COMPANY} FROM company WHERE subject_id = $1`, [id]);
  return rows[0];
}

export async function companiesOf(q: Queryable, subjectId: string): Promise<CompanyRow[]> {
  const { rows } = await q.query<CompanyRow>(
    `SELECT ${COMPANY} FROM company WHERE representative_id = $1
     UNION
     SELECT c.subject_id, c.name, c.registry_status, c.representative_id, c.bound_at
       FROM company c JOIN company_agent a ON a.company_id = c.subject_id
      WHERE a.agent_id = $1 AND a.revoked_at IS NULL AND a.valid_until > now()
     ORDER BY name`,
    [subjectId],
  );
  return rows;
}

/** The person's live authorisation for a company: not revoked and not past its end (checked at use). */
export async function liveAgent(
  q: Queryable,
  companyId: string,
  agentId: string,
): Promise<AgentRow | undefined> {
  const { rows } = await q.query<AgentRow>(
    `SELECT ${AGENT} FROM company_agent
      WHERE company_id = $1 AND agent_id = $2 AND revoked_at IS NULL AND valid_until > now()`,
    [companyId, agentId],
  );
  return rows[0];
}

export async function liveAgents(q: Queryable, companyId: string): Promise<AgentRow[]> {
  const { rows } = await q.query<AgentRow>(
    `SELECT ${AGENT} FROM company_agent
      WHERE company_id = $1 AND revoked_at IS NULL AND valid_until > now() ORDER BY granted_at`,
    [companyId],
  );
  return rows;
}

export async function insertAgent(
  q: Queryable,
  a: {
    companyId: string;
    agentId: string;
    label: string;
    scopes: string[];
    validUntil: Date;
    grantedBy: string;
  },
): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO company_agent (company_id, agent_id, agent_label, scopes, valid_until, granted_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
    [a.companyId, a.agentId, a.label, a.scopes, a.validUntil, a.grantedBy],
  );
  return rows[0]?.id;
}

/** An ended authorisation no longer blocks a new one: record its end first (`expire`). */
export async function expireEnded(
  q: Queryable,
  companyId: string,
  agentId: string,
  from: readonly AgentState[],
): Promise<void> {
  await q.query(
    `UPDATE company_agent SET state = 'expired', revoked_at = now()
      WHERE company_id = $1 AND agent_id = $2 AND state = ANY($3) AND valid_until <= now()`,
    [companyId, agentId, from],
  );
}

export async function agentById(q: Queryable, companyId: string, id: string): Promise<AgentRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query<AgentRow>(
    `SELECT ${AGENT} FROM company_agent WHERE id = $1 AND company_id = $2 FOR UPDATE`,
    [id, companyId],
  );
  return rows[0];
}

/** Moves an authorisation from `from` to revoked; the agent's id, or undefined if it moved meanwhile. */
export async function revokeAgent(
  q: Queryable,
  companyId: string,
  id: string,
  from: AgentState,
): Promise<string | undefined> {
  const { rows } = await q.query<{ agent_id: string }>(
    `UPDATE company_agent SET state = 'revoked', revoked_at = now()
      WHERE id = $1 AND company_id = $2 AND state = $3 RETURNING agent_id`,
    [id, companyId, from],
  );
  return rows[0]?.agent_id;
}

export async function actingChoice(q: Queryable, sessionId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ company_id: string }>(
    'SELECT company_id FROM company_acting WHERE session_id = $1',
    [sessionId],
  );
  return rows[0]?.company_id;
}

export async function setActing(q: Queryable, sessionId: string, companyId: string | null): Promise<void> {
  if (companyId === null) {
    await q.query('DELETE FROM company_acting WHERE session_id = $1', [sessionId]);
    return;
  }
  await q.query(
    `INSERT INTO company_acting (session_id, company_id) VALUES ($1, $2)
     ON CONFLICT (session_id) DO UPDATE SET company_id = EXCLUDED.company_id, chosen_at = now()`,
    [sessionId, companyId],
  );
}

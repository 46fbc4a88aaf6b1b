/**
 * What the incident tests share: a privacy engine, the service with small thresholds, two
 * officers and a DPO, and readers of what a console or an auditor sees (the timeline, the
 * chain). Not a test itself (test/support): src/modules/incident/*.test.ts import it.
 */
import { insertAccount } from '../../src/modules/account/index.ts';
import {
  createIncidentAudience,
  createIncidentService,
  type IncidentDeps,
  type IncidentService,
  type OpenInput,
  type StaffActor,
} from '../../src/modules/incident/index.ts';
import { createNotifyService, type NotifyService } from '../../src/modules/notify/index.ts';
import { startPrivacyEngine, type PrivacyEngine } from './privacy.ts';

export const officer: StaffActor = { id: 'staff-sec-1', role: 'security_officer' };
export const deputy: StaffActor = { id: 'staff-sec-2', role: 'security_officer' };
export const dpo: StaffActor = { id: 'staff-dpo-1', role: 'dpo' };
export const staffNames: Record<string, string> = {
  [officer.id]: '李安全',
  [deputy.id]: '张值班',
  [dpo.id]: '王保护',
};

export interface IncidentWorld {
  e: PrivacyEngine;
  notify: NotifyService;
  incidents: IncidentService;
  /** People with accounts, to scope an incident by named accounts. */
  people: string[];
  close(): Promise<void>;
}

export async function startIncidents(over: Partial<IncidentDeps> = {}, people = 3): Promise<IncidentWorld> {
  const e = await startPrivacyEngine();
  const notify = createNotifyService({ db: e.t.db });
  const incidents = createIncidentService({
    db: e.t.db,
    audit: e.audit,
    audience: createIncidentAudience({ db: e.t.db, vault: e.vault, audit: e.audit, batch: 2 }),
    notify,
    // Small numbers: the rule is the same at a hundred million.
    thresholds: { I: 1000, II: 100, III: 10, IV: 2 },
    reportHours: { cii: 1, state_organ: 2, other: 4 },
    staffNames: async (ids) => new Map(ids.flatMap((id) => (staffNames[id] ? [[id, staffNames[id]]] : []))),
    batchSize: 2,
    ...over,
  });
  const ids: string[] = [];
  for (let i = 0; i < people; i++) {
    const id = await e.vault.createSubject('person');
    await insertAccount(e.t.db, id, 'x');
    ids.push(id);
  }
  return { e, notify, incidents, people: ids.sort(), close: () => e.close() };
}

export const opening = (over: Partial<OpenInput> = {}): OpenInput => ({
  title: '统一身份认证服务日志库未授权访问',
  summary: '安全监测发现日志库在 10:05 至 10:40 间被境外地址批量查询。',
  detectedAt: new Date(),
  systems: ['统一身份认证', '日志库'],
  categories: ['identity', 'contact'],
  cause: null,
  operatorType: 'other',
  drill: false,
  ...over,
});

/** The scope naming exactly these accounts (an empty window). */
export const accountsScope = (accounts: string[]) => {
  const now = new Date();
  return { from: now, to: now, accounts };
};

/** The audit chain's entries about an incident, in order. */
export async function chain(
  w: IncidentWorld,
  id: string,
): Promise<{ action: string; actor_type: string; actor_id: string | null; clause: string | null }[]> {
  return (
    await w.e.t.db.query<{
      action: string;
      actor_type: string;
      actor_id: string | null;
      clause: string | null;
    }>(
      `SELECT action, actor_type, actor_id, clause FROM audit_entry
        WHERE subject_type = 'incident' AND subject_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;
}

export const refusedWith =
  (code: string, clause?: string) => (err: Error & { code?: string; clause?: string }) => {
    if (err.code !== code) throw err;
    if (clause && err.clause !== clause) throw new Error(`clause ${err.clause} instead of ${clause}`);
    return true;
  };

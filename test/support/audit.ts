/**
 * Tests of the audit chain itself append entries of their own, not the platform's: this
 * builds a catalogue naming those test actions (any actor kind, any clause), so the chain
 * tests stay independent of what the modules write.
 */
import type { ActorType, AuditActionSpec } from '../../src/modules/audit/index.ts';

const anyActor: readonly ActorType[] = ['citizen', 'staff', 'department', 'partner', 'system', 'anonymous'];

export function testAuditActions<const N extends string>(...names: N[]): Record<N, AuditActionSpec> {
  const spec: AuditActionSpec = { actors: anyActor, clauses: 'of-refusal', records: 'a test entry' };
  return Object.fromEntries(names.map((n) => [n, spec])) as Record<N, AuditActionSpec>;
}

/**
 * How a channel finds where to send: the destination field read through the vault at each
 * attempt, under the template's purpose with a necessity basis, by the system actor
 * `system:notify` — so each attempt shows in the person's "who accessed my data", and the
 * value is never stored, logged or returned. A read the vault refuses is a permanent
 * failure (`destination-refused`), a missing value `no-destination`.
 */
import { AppError } from '../../kernel/errors.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import type { Outgoing } from './notify.channel.ts';
import type { FailureCode } from './notify.states.ts';
import { specOf } from './notify.templates.ts';

const actor: Actor = { type: 'system', id: 'notify', label: 'system:notify' };

const requestOf = (m: Outgoing, field: 'phone' | 'email') => ({
  subjectId: m.subjectId,
  actor,
  purpose: specOf(m.template).purpose,
  basis: { type: 'necessity' as const, service: `notify:${m.template}` },
  fields: [field],
  requestId: `notify:${m.id}`,
});

/**
 * The destinations of a batch in one vault call: each read checked and logged as
 * `readDestination` would, with the same outcomes, in order.
 */
export async function readDestinations(
  vault: VaultService,
  ms: readonly Outgoing[],
  field: 'phone' | 'email',
): Promise<({ to: string } | { code: FailureCode })[]> {
  if (ms.length === 0) return [];
  const reads = await vault.readMany(ms.map((m) => requestOf(m, field)));
  return reads.map((r) => {
    if (!r.ok) return { code: 'destination-refused' };
    const to = r.values[field];
    return to ? { to } : { code: 'no-destination' };
  });
}

export async function readDestination(
  vault: VaultService,
  m: Outgoing,
  field: 'phone' | 'email',
): Promise<{ to: string } | { code: FailureCode }> {
  try {
    const read = await vault.read(requestOf(m, field));
    const to = read.values[field];
    return to ? { to } : { code: 'no-destination' };
  } catch (err) {
    if (err instanceof AppError) return { code: 'destination-refused' };
    throw err;
  }
}

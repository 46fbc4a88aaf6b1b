/**
 * Lifecycles as state tables (ADR 0015). A record with a lifecycle has a `state` column; its
 * module declares the states, the events that move it and one transition table, and applies
 * every change through `next`. The same table is enforced twice:
 *
 * - in memory: `next(from, event)` returns the new state or throws the lifecycle's coded
 *   error (an AppError from the one catalogue); a guard on a transition refuses with its own
 *   code;
 * - in SQL: a CHECK lists the states and the trigger `<table>_lifecycle` (function
 *   `civitas_lifecycle_guard`, migration 0018) refuses any insert or change of `state` not in
 *   `sqlTransitions()`. test/lifecycles.test.ts proves the trigger's list equals this table.
 *
 * Rules:
 * - Unknown must fail: a state or event not declared is refused like a forbidden transition.
 * - A transition whose `to` equals its `from` is a recorded event that leaves the state as it
 *   is (a second read of a delivery); SQL sees no state change and lets it through.
 * - A deadline passing (expires_at, valid_until) is not a transition until a module records
 *   it with an event; readers keep checking the deadline.
 *
 * Imports no module: the kernel sits below all of them.
 */
import { AppError } from './errors.ts';

/** A named check a transition needs beyond the state, refused with its own error code. */
export interface Guard<C> {
  name: string;
  refusal: string;
  allows: (ctx: C) => boolean;
}

export interface TransitionSpec<S extends string, E extends string, C> {
  from: S | readonly S[];
  event: E;
  to: S;
  /** When it happens, for the drawn table. */
  when: string;
  guards?: readonly Guard<C>[];
}

export interface LifecycleSpec<S extends string, E extends string, C> {
  /** Stable name, e.g. `verification-attempt`; also the trigger's first argument. */
  name: string;
  /** Table holding the `state` column, and the module that owns it. */
  table: string;
  module: string;
  /** What one record is, for the documentation. */
  describes: string;
  states: Readonly<Record<S, string>>;
  /** States a new record may start in. */
  initial: readonly S[];
  transitions: readonly TransitionSpec<S, E, C>[];
  /** Error code for an event the table does not allow. */
  refusal: string;
  /** A more precise code when the event is refused from a given state (already withdrawn…). */
  refusalFrom?: Partial<Readonly<Record<S, string>>>;
}

export interface Transition<S extends string, E extends string, C> {
  from: S;
  event: E;
  to: S;
  when: string;
  guards: readonly Guard<C>[];
}

export interface Lifecycle<S extends string, E extends string, C = void> {
  readonly spec: LifecycleSpec<S, E, C>;
  readonly name: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  /** One row per (from, event), in the order declared. */
  readonly transitions: readonly Transition<S, E, C>[];
  /** States with no way out. */
  readonly finalStates: readonly S[];
  isState(value: string): value is S;
  /** Whether the table has `event` from `from` (guards not consulted). */
  allows(from: S, event: E): boolean;
  /** The states `event` may be applied in: the `WHERE state = ANY(…)` of an update. */
  statesAllowing(event: E): S[];
  /** The state after `event`, or the coded refusal; `facts` feed the transition's guards. */
  next(from: S, event: E, facts?: C): S;
  /** `from>to` pairs the SQL trigger accepts (`>s` = inserted in s), state changes only. */
  sqlTransitions(): string[];
}

const registry = new Map<string, Lifecycle<string, string, unknown>>();

export function defineLifecycle<S extends string, E extends string, C = void>(
  spec: LifecycleSpec<S, E, C>,
): Lifecycle<S, E, C> {
  const states = Object.keys(spec.states) as S[];
  const known = new Set<string>(states);
  const rows: Transition<S, E, C>[] = [];
  const byKey = new Map<string, Transition<S, E, C>>();
  for (const t of spec.transitions) {
    for (const from of (Array.isArray(t.from) ? t.from : [t.from]) as S[]) {
      for (const s of [from, t.to])
        if (!known.has(s)) throw new Error(`lifecycle ${spec.name}: unknown state ${s}`);
      const key = `${from} ${t.event}`;
      if (byKey.has(key)) throw new Error(`lifecycle ${spec.name}: ${from} on ${t.event} declared twice`);
      const row = { from, event: t.event, to: t.to, when: t.when, guards: t.guards ?? [] };
      byKey.set(key, row);
      rows.push(row);
    }
  }
  for (const s of spec.initial)
    if (!known.has(s)) throw new Error(`lifecycle ${spec.name}: unknown initial state ${s}`);
  const events = [...new Set(rows.map((r) => r.event))];
  const finalStates = states.filter((s) => !rows.some((r) => r.from === s && r.to !== s));

  const refuse = (from: string, event: string): never => {
    const code = (known.has(from) && spec.refusalFrom?.[from as S]) || spec.refusal;
    throw new AppError(code, `no transition from ${from} on ${event}`);
  };

  const lifecycle: Lifecycle<S, E, C> = {
    spec,
    name: spec.name,
    states,
    events,
    transitions: rows,
    finalStates,
    isState: (value: string): value is S => known.has(value),
    allows: (from, event) => byKey.has(`${from} ${event}`),
    statesAllowing: (event) => rows.filter((r) => r.event === event).map((r) => r.from),
    next(from, event, facts) {
      const t = byKey.get(`${from} ${event}`);
      if (!t) return refuse(from, event);
      if (t.guards.length > 0 && facts === undefined)
        throw new Error(`lifecycle ${spec.name}: ${from} on ${event} needs the facts its guards check`);
      for (const g of t.guards)
        if (!g.allows(facts as C)) throw new AppError(g.refusal, `${from} on ${event}: ${g.name}`);
      return t.to;
    },
    sqlTransitions() {
      const pairs = [
        ...spec.initial.map((s) => `>${s}`),
        ...rows.filter((r) => r.from !== r.to).map((r) => `${r.from}>${r.to}`),
      ];
      return [...new Set(pairs)];
    },
  };
  if (registry.has(spec.name)) throw new Error(`lifecycle ${spec.name} defined twice`);
  registry.set(spec.name, lifecycle as unknown as Lifecycle<string, string, unknown>);
  return lifecycle;
}

/** Every lifecycle defined so far (each module's `*.lifecycle.ts` defines one on import). */
export function lifecycles(): Lifecycle<string, string, unknown>[] {
  return [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The SQL that enforces a lifecycle on its table: what a migration adding one contains
 * (the CHECK on the states and the trigger with the allowed transitions as arguments).
 */
export function guardSql(l: Lifecycle<string, string, unknown>): string {
  const table = l.spec.table;
  const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
  return [
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_state_check CHECK (state IN (${list(l.states)}));`,
    `CREATE TRIGGER ${table}_lifecycle BEFORE INSERT OR UPDATE OF state ON ${table}`,
    `  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard(${list([l.name, ...l.sqlTransitions()])});`,
  ].join('\n');
}

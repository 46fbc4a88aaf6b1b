/**
 * Invariant: every lifecycle is one transition table, enforced twice. In memory, an event
 * the table does not allow is refused with the lifecycle's coded error; in the database,
 * the table's trigger refuses any insert or change of `state` not in that same table, even
 * for the application role writing the column directly. The trigger's list of transitions
 * and the CHECK on the states are what the TypeScript table says (no second list to drift).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../src/kernel/db/database.ts';
import { AppError, errorSpec } from '../src/kernel/errors.ts';
import { loadLifecycles } from '../scripts/lifecycles.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const { lifecycles: all, problems } = await loadLifecycles(new URL('..', import.meta.url).pathname);

interface Fixture {
  /** SQL making one row in an initial state, returning its key as `key`. */
  insert: string;
  keyColumn: string;
  /** Allowed changes applied in order, as SET clauses. */
  moves: string[];
  /** A change the table does not allow from where `moves` left the row. */
  refused: string;
  /** The state the row must still be in afterwards. */
  stays: string;
}

const person = `(INSERT INTO vault_subject (kind, wrapped_key, key_id) VALUES ('person', '\\x00', 'k') RETURNING id)`;

/** One real row per lifecycle; a lifecycle without one fails the test (unknown must fail). */
const fixtures: Record<string, Fixture> = {
  'verification-attempt': {
    insert: `INSERT INTO verification_attempt (subject_id, level, method, state, expires_at)
             VALUES (gen_random_uuid(), 2, 'population-registry', 'started', now() + interval '15 minutes')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'submitted'`, `state = 'mismatched'`],
    refused: `state = 'matched'`,
    stays: 'mismatched',
  },
  consent: {
    // A consent names the published text it was given on (0019): any seeded one serves.
    insert: `INSERT INTO consent (subject_id, kind, purpose, categories, sensitive, policy_version, channel, text_hash,
                                  document_id, document_version, document_language)
             SELECT gen_random_uuid(), 'use', 'personalisation', '{address}', false, d.version, 'portal', d.text_hash,
                    d.document_id, d.version, d.language
               FROM policy_document d WHERE d.document_id = 'privacy-policy' AND d.language = 'en'
              ORDER BY d.version LIMIT 1
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'withdrawn', withdrawn_at = now()`],
    refused: `state = 'given', withdrawn_at = NULL`,
    stays: 'withdrawn',
  },
  'delivery-request': {
    insert: `WITH s AS ${person},
               d AS (INSERT INTO department (name, position, slug) VALUES ('{}', 99, 'lc-' || gen_random_uuid()) RETURNING id),
               v AS (INSERT INTO service (department_id, name, position, slug, summary)
                     SELECT id, '{}', 99, 'lc-' || gen_random_uuid(), '{}' FROM d RETURNING id),
               r AS (INSERT INTO relying_party (client_id, dpa_reference, fields, policy_url, redirect_uris, service_id)
                     SELECT 'lc-' || gen_random_uuid(), 'dpa', '[]', 'https://example.test/policy',
                            '{https://example.test/cb}', id FROM v RETURNING client_id)
             INSERT INTO delivery_request (subject_id, client_id, application_ref, delete_after)
             SELECT s.id, r.client_id, 'A-1', now() + interval '180 days' FROM s, r RETURNING id AS key`,
    keyColumn: 'id',
    moves: [
      `state = 'released', released_at = now()`,
      `state = 'erased', erased_at = now(), erased_by = 'person'`,
    ],
    refused: `state = 'released', erased_at = NULL, erased_by = NULL`,
    stays: 'erased',
  },
  'agent-authorisation': {
    insert: `WITH o AS (INSERT INTO vault_subject (kind, wrapped_key, key_id) VALUES ('organisation', '\\x00', 'k') RETURNING id),
               p AS ${person}, a AS ${person},
               c AS (INSERT INTO company (subject_id, name, registry_status, representative_id)
                     SELECT o.id, 'Lifecycle Ltd', 'active', p.id FROM o, p RETURNING subject_id)
             INSERT INTO company_agent (company_id, agent_id, agent_label, scopes, valid_until, granted_by)
             SELECT c.subject_id, a.id, '138****0000', '{tax}', now() + interval '30 days', p.id FROM c, a, p
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'revoked', revoked_at = now()`],
    refused: `state = 'expired'`,
    stays: 'revoked',
  },
  'sign-in-challenge': {
    insert: `INSERT INTO sign_in_challenge (token_hash, subject_id, first_factor, device, reasons, methods, expires_at)
             VALUES (sha256(gen_random_uuid()::text::bytea), gen_random_uuid(), 'password', 'test', '{new-device}',
                     '{sms}', now() + interval '5 minutes')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'locked', attempts = 5`],
    refused: `state = 'passed', completed_at = now()`,
    stays: 'locked',
  },
  'citizen-account': {
    insert: `INSERT INTO citizen_account (subject_id) VALUES (gen_random_uuid()) RETURNING subject_id AS key`,
    keyColumn: 'subject_id',
    moves: [`state = 'closing'`, `state = 'closed'`],
    refused: `state = 'active'`,
    stays: 'closed',
  },
  'notify-outbox': {
    insert: `WITH s AS ${person},
                  n AS (INSERT INTO notification (subject_id, template, kind, locale)
                        SELECT id, 'login-alert', 'security', 'en' FROM s RETURNING id, subject_id)
             INSERT INTO notify_outbox (notification_id, subject_id, channel)
             SELECT id, subject_id, 'sms' FROM n RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'sending'`, `state = 'failed'`],
    refused: `state = 'pending'`,
    stays: 'failed',
  },
  'notify-email': {
    insert: `INSERT INTO notify_email (subject_id, state) VALUES (gen_random_uuid(), 'pending') RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'verified'`, `state = 'removed'`],
    refused: `state = 'verified'`,
    stays: 'removed',
  },
  'transfer-campaign': {
    insert: `INSERT INTO transfer_campaign (recipient_name, recipient_credit_code, reason, categories, scope,
                                            notice_days, planned_for, state, drafted_by)
             VALUES ('Lifecycle Ltd', '91110108MA01CW0A2L', 'merger', '{identity}', 'all', 30, '2027-01-31', 'drafted', 'dpo')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'notified', notified_at = now()`, `state = 'cancelled', cancelled_at = now()`],
    refused: `state = 'transferred', transferred_at = now(), cancelled_at = NULL`,
    stays: 'cancelled',
  },
  'account-closure': {
    insert: `INSERT INTO account_closure (subject_id, state, channel, locale, requested_at, closes_at, due_at)
             VALUES (gen_random_uuid(), 'cooling-off', 'self-service', 'en', now(), now() + interval '7 days', now() + interval '21 days')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'undone', undone_at = now()`],
    // Closed after it was undone: not in the table.
    refused: `state = 'closed', closed_at = now(), undone_at = NULL`,
    stays: 'undone',
  },
  'legal-hold': {
    insert: `INSERT INTO legal_hold (state, scope, basis, reason, authority, document_ref, created_by, review_at)
             VALUES ('active', 'person', 'dispute', 'A dispute', 'DPO', 'D-1', 'dpo-1', now() + interval '90 days')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'released', ended_at = now(), ended_by = 'dpo-1', end_note = 'Settled.'`],
    // Active again once released: not in the table.
    refused: `state = 'active', ended_at = NULL, ended_by = NULL, end_note = NULL`,
    stays: 'released',
  },
  'suspicious-report': {
    insert: `INSERT INTO suspicious_report (subject_id, entry_id, entry_action, entry_at, locale, state)
             VALUES (gen_random_uuid(), 1, 'identity.login', now(), 'en', 'open')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'closed', closed_at = now(), closed_by = 'staff-1', close_note = 'Looked into.'`],
    // Opened again once closed: not in the table.
    refused: `state = 'open', closed_at = NULL, closed_by = NULL, close_note = NULL`,
    stays: 'closed',
  },
  'rights-request': {
    insert: `INSERT INTO rights_request (subject_id, kind, channel, locale, state, submitted_at, due_at,
                                        deadline_days, deadline_unit)
             VALUES (gen_random_uuid(), 'copy', 'self-service', 'en', 'submitted', now(), now() + interval '30 days', 30, 'calendar')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [
      `state = 'identity-confirmed', identity_confirmed_at = now(), identity_method = 'step-up'`,
      `state = 'withdrawn', withdrawn_at = now(), closed_at = now()`,
    ],
    // Fulfilled straight from a withdrawn request: not in the table.
    refused: `state = 'fulfilled', decided_at = now(), withdrawn_at = NULL`,
    stays: 'withdrawn',
  },
  'security-incident': {
    insert: `INSERT INTO incident (title, summary, detected_at, opened_by, operator_type, state, report_due_at)
             VALUES ('Lifecycle', 'Lifecycle', now(), 'staff', 'other', 'detected', now() + interval '4 hours')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'assessed'`, `state = 'reported', reported_at = now()`],
    refused: `state = 'detected'`,
    stays: 'reported',
  },
  'policy-version': {
    insert: `INSERT INTO policy_version (document_id, version, state, created_by)
             VALUES ('privacy-policy', 'lc-' || substr(md5(random()::text), 1, 8), 'draft', 'dpo-1')
             RETURNING version AS key`,
    keyColumn: 'version',
    moves: [`state = 'discarded'`],
    refused: `state = 'draft'`,
    stays: 'discarded',
  },
  announcement: {
    insert: `INSERT INTO announcement (key, kind, texts, starts_at, expires_at, created_by, state)
             VALUES ('lifecycle:' || gen_random_uuid(), 'service', '{}', now(), now() + interval '1 day', 'staff', 'published')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [`state = 'withdrawn', withdrawn_at = now()`],
    refused: `state = 'published', withdrawn_at = NULL`,
    stays: 'withdrawn',
  },
  'export-job': {
    insert: `INSERT INTO export_job (subject_id, locale, state) VALUES (gen_random_uuid(), 'en', 'requested')
             RETURNING id AS key`,
    keyColumn: 'id',
    moves: [
      `state = 'preparing'`,
      `state = 'ready', expires_at = now() + interval '7 days', key_id = 'k', wrapped_key = '\\x00',
       json_archive = '\\x00', html_archive = '\\x00'`,
      `state = 'expired', json_archive = NULL, html_archive = NULL`,
    ],
    refused: `state = 'preparing'`,
    stays: 'expired',
  },
  'linked-account-flow': {
    insert: `INSERT INTO linked_flow (state_hash, provider, mode, nonce, verifier, expires_at)
             VALUES (sha256(gen_random_uuid()::text::bytea), 'dev', 'login', 'n', 'v', now() + interval '10 minutes')
             RETURNING state_hash AS key`,
    keyColumn: 'state_hash',
    moves: [`state = 'used'`],
    refused: `state = 'started'`,
    stays: 'used',
  },
};

const lifecycleRefusal = (table: string) => (err: unknown) => {
  const e = err as { code?: string; constraint?: string; message?: string };
  return (
    e.code === '23514' &&
    e.constraint === `${table}_lifecycle` &&
    /lifecycle .* refused/.test(e.message ?? '')
  );
};

describe('lifecycles', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  test('every lifecycle is found, in a *.lifecycle.ts file, with a coded refusal from the catalogue', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      all.map((l) => l.name),
      [
        'account-closure',
        'agent-authorisation',
        'announcement',
        'citizen-account',
        'consent',
        'delivery-request',
        'export-job',
        'legal-hold',
        'linked-account-flow',
        'notify-email',
        'notify-outbox',
        'policy-version',
        'rights-request',
        'security-incident',
        'sign-in-challenge',
        'suspicious-report',
        'transfer-campaign',
        'verification-attempt',
      ],
    );
    for (const l of all) {
      for (const code of [l.spec.refusal, ...Object.values(l.spec.refusalFrom ?? {})])
        errorSpec(String(code));
      for (const t of l.transitions) for (const g of t.guards) errorSpec(g.refusal);
    }
  });

  test('in memory, every event a table does not allow is refused with the coded error', () => {
    for (const l of all) {
      let refused = 0;
      for (const from of l.states)
        for (const event of [...l.events, 'no-such-event'])
          if (!l.allows(from, event)) {
            const expected = l.spec.refusalFrom?.[from] ?? l.spec.refusal;
            assert.throws(
              () => l.next(from, event),
              (err: unknown) => err instanceof AppError && err.code === expected,
              `${l.name}: ${from} on ${event}`,
            );
            refused += 1;
          }
      assert.ok(refused > 0, `${l.name} refuses something`);
      assert.throws(() => l.next('no-such-state', l.events[0]!), AppError, `${l.name}: unknown state`);
    }
  });

  test('in memory, a guard refuses with its own code', () => {
    const challenge = all.find((l) => l.name === 'sign-in-challenge')!;
    const now = new Date();
    assert.equal(
      challenge.next('pending', 'pass', { attempts: 0, expiresAt: new Date(+now + 1000), now }),
      'passed',
    );
    assert.throws(
      () => challenge.next('pending', 'pass', { attempts: 0, expiresAt: new Date(+now - 1), now }),
      (err: unknown) => err instanceof AppError && err.code === 'identity.second_step_expired',
    );
    assert.throws(
      () => challenge.next('pending', 'pass', { attempts: 5, expiresAt: new Date(+now + 1000), now }),
      (err: unknown) => err instanceof AppError && err.code === 'identity.second_step_locked',
    );
    const flow = all.find((l) => l.name === 'linked-account-flow')!;
    assert.throws(
      () => flow.next('started', 'use', { expiresAt: new Date(+now - 1), now }),
      (err: unknown) => err instanceof AppError && err.code === 'linked.flow_invalid',
    );
  });

  test('each table’s trigger and state CHECK are exactly its lifecycle’s table', async () => {
    for (const l of all) {
      const { rows: triggers } = await t.db.query<{ args: Buffer; def: string }>(
        `SELECT tgargs AS args, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t
          WHERE t.tgrelid = $1::regclass AND t.tgname = $2`,
        [l.spec.table, `${l.spec.table}_lifecycle`],
      );
      assert.equal(triggers.length, 1, `${l.spec.table}_lifecycle exists`);
      const args = triggers[0]!.args.toString('utf8').split('\0').slice(0, -1);
      assert.deepEqual(args, [l.name, ...l.sqlTransitions()], `${l.name}: trigger arguments`);
      assert.match(
        triggers[0]!.def,
        /BEFORE INSERT OR UPDATE OF state .* FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard/,
      );

      const { rows: checks } = await t.db.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2`,
        [l.spec.table, `${l.spec.table}_state_check`],
      );
      assert.equal(checks.length, 1, `${l.spec.table}_state_check exists`);
      const listed = [...checks[0]!.def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]);
      assert.deepEqual(listed, [...l.states], `${l.name}: CHECK lists the states`);
    }
  });

  test('the guard function accepts exactly the listed pairs, for every pair of states of every lifecycle', async () => {
    const owner: Database = t.owner;
    for (const l of all) {
      const allowed = new Set(l.sqlTransitions());
      await owner.query(`CREATE TEMP TABLE lc_scratch (id int PRIMARY KEY, state text NOT NULL)`);
      // One row per state, made before the trigger exists.
      await owner.query(
        `INSERT INTO lc_scratch SELECT i, s FROM unnest($1::text[]) WITH ORDINALITY AS u(s, i)`,
        [l.states],
      );
      const args = [l.name, ...l.sqlTransitions()].map((a) => `'${a}'`).join(', ');
      await owner.query(
        `CREATE TRIGGER lc_scratch_lifecycle BEFORE INSERT OR UPDATE OF state ON lc_scratch
           FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard(${args})`,
      );
      for (const [i, from] of l.states.entries())
        for (const to of l.states) {
          if (from === to) continue;
          const ok = await owner
            .tx(async (q) => {
              await q.query('UPDATE lc_scratch SET state = $2 WHERE id = $1', [i + 1, to]);
              throw new Error('rollback');
            })
            .catch((err: Error & { code?: string }) => err.message === 'rollback');
          assert.equal(ok, allowed.has(`${from}>${to}`), `${l.name}: ${from} → ${to}`);
        }
      for (const s of l.states) {
        const ok = await owner
          .tx(async (q) => {
            await q.query('INSERT INTO lc_scratch VALUES (1000, $1)', [s]);
            throw new Error('rollback');
          })
          .catch((err: Error) => err.message === 'rollback');
        assert.equal(ok, allowed.has(`>${s}`), `${l.name}: a new row in ${s}`);
      }
      await owner.query('DROP TABLE lc_scratch');
    }
  });

  test('the application role cannot move a stored record along a transition its table refuses', async () => {
    for (const l of all) {
      const f = fixtures[l.name];
      assert.ok(f, `a fixture for ${l.name}`);
      const { rows } = await t.owner.query<{ key: unknown }>(f.insert);
      const key = rows[0]!.key;
      for (const set of f.moves)
        await t.db.query(`UPDATE ${l.spec.table} SET ${set} WHERE ${f.keyColumn} = $1`, [key]);
      await assert.rejects(
        t.db.query(`UPDATE ${l.spec.table} SET ${f.refused} WHERE ${f.keyColumn} = $1`, [key]),
        lifecycleRefusal(l.spec.table),
        `${l.name}: ${f.refused}`,
      );
      const after = await t.db.query<{ state: string }>(
        `SELECT state FROM ${l.spec.table} WHERE ${f.keyColumn} = $1`,
        [key],
      );
      assert.equal(after.rows[0]!.state, f.stays, `${l.name} stays ${f.stays}`);
    }
  });
});

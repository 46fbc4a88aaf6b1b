/**
 * Invariant: the template catalogue is the one list of messages to people, and it is
 * complete: every template has its text in zh-CN, en and cs naming exactly its parameters
 * (and a label for each value of an enumerated one), every SMS template is in the gateway
 * protocol's table, and a message whose parameters the catalogue does not allow is never
 * queued.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Queryable } from '../../kernel/db/database.ts';
import { locales } from '../../kernel/locale.ts';
import { createNotifyService, type Message } from './notify.service.ts';
import { beijingMinute, render, specOf, templates, type TemplateId } from './notify.templates.ts';

const ids = Object.keys(templates) as TemplateId[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the template catalogue', () => {
  test('every template speaks every language of the platform and names exactly its parameters', () => {
    assert.ok(ids.length >= 5);
    for (const id of ids) {
      const spec = specOf(id);
      const params = Object.keys(spec.params.shape).sort();
      assert.deepEqual(Object.keys(spec.texts).sort(), [...locales].sort(), `${id}: three languages`);
      for (const locale of locales) {
        assert.deepEqual(
          [...new Set(placeholders(spec.texts[locale]))],
          params,
          `${id} (${locale}) names its parameters`,
        );
      }
      for (const [param, labels] of Object.entries(spec.labels ?? {})) {
        const values = (spec.params.shape[param] as unknown as { options: string[] }).options;
        assert.deepEqual(
          Object.keys(labels!).sort(),
          [...values].sort(),
          `${id}.${param}: a label per value`,
        );
        for (const label of Object.values(labels!))
          assert.deepEqual(Object.keys(label).sort(), [...locales].sort());
      }
    }
  });

  test('every SMS template is in the gateway protocol (docs/adapters/sms-gateway.md)', () => {
    const doc = readFileSync('docs/adapters/sms-gateway.md', 'utf8');
    const listed = [...doc.matchAll(/^\| `([a-z-]+)` /gm)].map((m) => m[1]);
    for (const id of ids.filter((i) => specOf(i).channels.includes('sms')))
      assert.ok(listed.includes(id), `${id} is documented for the operator`);
  });

  test('a text is filled in from its parameters, an enumerated one by its label', () => {
    assert.equal(
      render('security-change', 'en', { time: '2026-11-25 03:20', change: 'passkey-removed' }),
      "Your Civitas account's protection changed at 2026-11-25 03:20 (Beijing time): passkey removed. Not you? Reset your password and check Account security.",
    );
    assert.match(
      render('login-alert', 'zh-CN', { time: '2026-11-25 03:20', device: 'Chrome · Android' }),
      /2026-11-25 03:20（北京时间）在 Chrome · Android 上登录/,
    );
    assert.equal(beijingMinute(new Date('2026-11-24T19:20:59Z')), '2026-11-25 03:20');
  });

  test('a message whose parameters the catalogue does not allow is refused before it is written', async () => {
    let written = 0;
    const q: Queryable = {
      query: (async (text: string) => {
        if (/INSERT INTO notification /.test(text)) written++;
        return { rows: [{ id: 'x' }], rowCount: 1, command: 'INSERT', oid: 0, fields: [] };
      }) as Queryable['query'],
    };
    const notify = createNotifyService({ db: { ...q } as never });
    const bad: unknown[] = [
      { template: 'login-alert', params: { time: 'yesterday', device: 'Chrome · Android' } },
      { template: 'login-alert', params: { time: '2026-11-25 03:20', device: 'x', phone: '13800000000' } },
      { template: 'security-change', params: { time: '2026-11-25 03:20', change: 'password-shown' } },
    ];
    for (const b of bad) {
      await assert.rejects(
        notify.enqueue(q, {
          ...(b as Message),
          subjectId: '00000000-0000-0000-0000-000000000001',
          locale: 'en',
        }),
        /parameters do not match the catalogue/,
      );
    }
    assert.equal(written, 0);
    await notify.enqueue(q, {
      template: 'registration-attempt',
      params: { time: '2026-11-25 03:20' },
      subjectId: '00000000-0000-0000-0000-000000000001',
      locale: 'en',
    });
    assert.equal(written, 1, 'a message the catalogue allows is written');
  });
});

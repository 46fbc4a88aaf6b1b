/**
 * Invariant: a value the person supplies for one operation and the platform does not store
 * (a camera capture, a card number) leaves only to a partner allowed to receive its
 * category, and is recorded like stored data: in "who accessed my data" and the audit log,
 * by field name, never by value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { createNotifyService } from '../notify/index.ts';
import type { Actor } from '../vault/index.ts';
import { createSharingService, type SharingService } from './index.ts';

let e: PrivacyEngine;
let sharing: SharingService;
let person: string;
const job: Actor = { type: 'system', id: 'verification', label: 'system:verification' };

describe('sharing values supplied for one operation', () => {
  before(async () => {
    e = await startPrivacyEngine();
    sharing = createSharingService({
      db: e.t.db,
      audit: e.audit,
      vault: e.vault,
      consent: e.consent,
      notify: createNotifyService({ db: e.t.db }),
      residencyRegion: 'CN',
    });
    person = await e.vault.createSubject('person');
    await e.vault.write(
      person,
      { name: '李娜' },
      {
        source: 'user',
        purpose: 'real-name-verification',
        actor: { type: 'self', id: person, label: 'self' },
      },
    );
    await sharing.registerPartner(
      {
        slug: 'face-lab',
        name: { 'zh-CN': '人脸', en: 'Face lab', cs: 'Obličej' },
        kind: 'partner',
        agreementRef: 'DPA-FACE-1',
        region: 'CN',
        allowedCategories: ['biometric'],
        allowedPurposes: ['real-name-verification'],
      },
      { type: 'system', id: 'test', label: 'system:test' },
    );
  });
  after(() => e.close());

  test('P5.1.4 a supplied capture reaches an authorised partner alone and is recorded by name', async () => {
    const r = await sharing.share({
      subjectId: person,
      partner: 'face-lab',
      purpose: 'real-name-verification',
      fields: [],
      supplied: { face_image: 'aW1hZ2U=' },
      basis: { type: 'necessity', service: 'verification-l3' },
      by: job,
    });
    assert.deepEqual(r.values, { face_image: 'aW1hZ2U=' });
    const [entry] = await e.vault.accessLog(person, { limit: 1 });
    assert.deepEqual(
      [entry!.operation, entry!.actorLabel, entry!.categories],
      ['share', 'partner:face-lab', ['biometric']],
    );
    const { rows } = await e.t.db.query<{ detail: { fields: string[] } }>(
      `SELECT detail FROM audit_entry WHERE action = 'sharing.share' ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(rows[0]!.detail.fields, ['face_image']);
    assert.doesNotMatch(JSON.stringify(rows[0]!.detail), /aW1hZ2U=/, 'the value is never in the audit log');
  });

  test('P5.1.4 a supplied value outside the partner’s categories is refused and nothing is sent', async () => {
    await assert.rejects(
      sharing.share({
        subjectId: person,
        partner: 'face-lab',
        purpose: 'real-name-verification',
        fields: [],
        supplied: { face_image: 'aW1hZ2U=', bank_account: '6222021000112345672' },
        basis: { type: 'necessity', service: 'verification-l3' },
        by: job,
      }),
      (err: Error & { code?: string; clause?: string }) =>
        err.code === 'sharing.field_not_allowed' && err.clause === 'P5.1.4',
    );
  });
});

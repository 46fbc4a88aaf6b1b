/**
 * Invariant: personal data leaves the platform only by share, transfer or disclosure,
 * each on its own basis; a partner never receives a field outside its agreement; data
 * never crosses the residency border without separate consent; a disclosure under a legal
 * order is shown to the person, at once or when the recorded restriction ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { createNotifyService } from '../notify/index.ts';
import { staffActor, type Actor } from '../vault/index.ts';
import { createSharingService, type SharingService } from './index.ts';
import { testShown } from '../../../test/support/policy.ts';

let e: PrivacyEngine;
let sharing: SharingService;
let person: string;
const job: Actor = { type: 'system', id: 'verification', label: 'system:verification' };
const officer = staffActor({ id: 'dpo-1', role: 'dpo' });

const refusedWith = (code: string, clause?: string) => (err: Error & { code?: string; clause?: string }) => {
  assert.equal(err.code, code);
  if (clause) assert.equal(err.clause, clause);
  return true;
};

const give = (
  kind: 'share' | 'transfer' | 'cross-border',
  partner: string,
  purpose: 'service-provision' | 'real-name-verification',
  categories: ('identity' | 'contact' | 'biometric')[],
  explicitSeparate = false,
) =>
  testShown(e.t.db, `${kind} with ${partner}`).then((shown) =>
    e.consent.give(
      {
        subjectId: person,
        kind,
        purpose,
        categories,
        recipient: { type: 'partner', id: partner },
        channel: 'portal',
        shown,
        explicitSeparate,
      },
      { type: 'self', id: person },
    ),
  );

describe('sharing, transfer and disclosure', () => {
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
    const self: Actor = { type: 'self', id: person, label: 'self' };
    await e.vault.write(
      person,
      { name: '张伟', phone: '13700000001' },
      { source: 'user', purpose: 'service-provision', actor: self },
    );
    await e.vault.write(
      person,
      { id_number: '440106199001011234', face_image: 'jpeg:abc' },
      { source: 'user', purpose: 'real-name-verification', actor: self },
    );
    await sharing.registerPartner(
      {
        slug: 'face-id',
        name: { 'zh-CN': '人脸核验服务商', en: 'Face verification provider', cs: 'Ověřovatel obličeje' },
        kind: 'partner',
        agreementRef: 'DPA-2026-007',
        region: 'CN',
        allowedCategories: ['biometric'],
        allowedPurposes: ['real-name-verification'],
      },
      officer,
    );
    await sharing.registerPartner(
      {
        slug: 'courier',
        name: { 'zh-CN': '快递公司', en: 'Courier', cs: 'Kurýr' },
        kind: 'supplier',
        agreementRef: 'SUP-2026-001',
        region: 'CN',
        allowedCategories: ['identity', 'contact'],
        allowedPurposes: ['service-provision'],
      },
      officer,
    );
    await sharing.registerPartner(
      {
        slug: 'hk-bank',
        name: { 'zh-CN': '香港银行', en: 'Hong Kong bank', cs: 'Banka v Hongkongu' },
        kind: 'partner',
        agreementRef: 'PTN-2026-HK',
        region: 'HK',
        allowedCategories: ['identity', 'contact'],
        allowedPurposes: ['service-provision'],
      },
      officer,
    );
  });
  after(() => e.close());

  test('P5.1.4 an authorised partner gets only the fields its agreement allows', async () => {
    const ok = await sharing.share({
      subjectId: person,
      partner: 'face-id',
      purpose: 'real-name-verification',
      fields: ['face_image'],
      basis: { type: 'necessity', service: 'verify-l3' },
      by: job,
    });
    assert.deepEqual(ok.values, { face_image: 'jpeg:abc' });
    await assert.rejects(
      sharing.share({
        subjectId: person,
        partner: 'face-id',
        purpose: 'real-name-verification',
        fields: ['face_image', 'id_number'],
        basis: { type: 'necessity', service: 'verify-l3' },
        by: job,
      }),
      refusedWith('sharing.field_not_allowed', 'P5.1.4'),
    );
  });

  test('P5.3.1 a partner is used only for purposes its agreement names', async () => {
    await assert.rejects(
      sharing.share({
        subjectId: person,
        partner: 'courier',
        purpose: 'real-name-verification',
        fields: ['name'],
        basis: { type: 'necessity', service: 'x' },
        by: job,
      }),
      refusedWith('sharing.purpose_not_agreed', 'P5.3.1'),
    );
  });

  test('P5.1.1 sharing on consent needs a consent to share with that very recipient', async () => {
    const share = (consentId: string) =>
      sharing.share({
        subjectId: person,
        partner: 'courier',
        purpose: 'service-provision',
        fields: ['name', 'phone'],
        basis: { type: 'consent', consentId },
        by: job,
      });
    const other = await give('share', 'someone-else', 'service-provision', ['identity', 'contact']);
    await assert.rejects(share(other.id), refusedWith('vault.no_basis', 'P5.1.1'));
    const right = await give('share', 'courier', 'service-provision', ['identity', 'contact']);
    assert.deepEqual((await share(right.id)).values, { name: '张伟', phone: '13700000001' });
    const log = await e.vault.accessLog(person);
    assert.equal(log[0]!.operation, 'share');
    assert.equal(log[0]!.actorLabel, 'partner:courier');
    const { rows } = await e.t.db.query<{ clause: string }>(
      `SELECT clause FROM audit_entry WHERE action = 'sharing.share' ORDER BY id DESC LIMIT 1`,
    );
    assert.equal(rows[0]!.clause, 'P5.1.1');
  });

  test('P5.2 a transfer needs its own transfer consent; a sharing consent is not enough', async () => {
    const shareConsent = await give('share', 'courier', 'service-provision', ['identity']);
    const transfer = (basis: Parameters<SharingService['transfer']>[0]['basis']) =>
      sharing.transfer({
        subjectId: person,
        partner: 'courier',
        purpose: 'service-provision',
        fields: ['name'],
        basis,
        by: officer,
      });
    await assert.rejects(
      transfer({ type: 'consent', consentId: shareConsent.id }),
      refusedWith('vault.no_basis'),
    );
    await assert.rejects(
      transfer({ type: 'necessity', service: 'x' }),
      refusedWith('sharing.wrong_basis', 'P5.2'),
    );
    const t = await give('transfer', 'courier', 'service-provision', ['identity']);
    assert.deepEqual((await transfer({ type: 'consent', consentId: t.id })).values, { name: '张伟' });
  });

  test('P6.1 a destination outside mainland China is refused without separate cross-border consent', async () => {
    const shareConsent = await give('share', 'hk-bank', 'service-provision', ['identity']);
    const share = () =>
      sharing.share({
        subjectId: person,
        partner: 'hk-bank',
        purpose: 'service-provision',
        fields: ['name'],
        basis: { type: 'consent', consentId: shareConsent.id },
        by: job,
      });
    await assert.rejects(share(), refusedWith('sharing.cross_border', 'P6.1'));
    await give('cross-border', 'hk-bank', 'service-provision', ['identity']);
    assert.deepEqual((await share()).values, { name: '张伟' });
  });

  test('P5.1.3 a dispute case is a basis for sharing with the body resolving it, and only with a case id', async () => {
    await sharing.registerPartner(
      {
        slug: 'mediation',
        name: { 'zh-CN': '人民调解委员会', en: 'Mediation committee', cs: 'Mediační výbor' },
        kind: 'partner',
        agreementRef: 'MED-2026-3',
        region: 'CN',
        allowedCategories: ['identity', 'contact'],
        allowedPurposes: ['dispute-resolution'],
      },
      officer,
    );
    const share = (caseId: string) =>
      sharing.share({
        subjectId: person,
        partner: 'mediation',
        purpose: 'dispute-resolution',
        fields: ['name'],
        basis: { type: 'dispute', caseId },
        by: officer,
      });
    await assert.rejects(share(' '), refusedWith('vault.no_basis'));
    assert.deepEqual((await share('MED-2026-0042')).values, { name: '张伟' });
    const { rows } = await e.t.db.query<{ clause: string }>(
      `SELECT clause FROM audit_entry WHERE action = 'sharing.share' ORDER BY id DESC LIMIT 1`,
    );
    assert.equal(rows[0]!.clause, 'P5.1.3');
  });

  test('P5.1.2 a legal order must name the authority and its reference', async () => {
    await assert.rejects(
      sharing.disclose({
        subjectId: person,
        recipient: 'court',
        fields: ['name'],
        order: { authority: '天河区人民法院', reference: ' ' },
        by: officer,
      }),
      refusedWith('vault.legal_basis_incomplete', 'P5.1.2'),
    );
  });

  test('P5.3.3 a disclosure under a legal order is shown to the person at once, with a notice', async () => {
    await sharing.disclose({
      subjectId: person,
      recipient: 'tianhe-court',
      fields: ['name', 'id_number'],
      order: { authority: '天河区人民法院', reference: '(2026)粤0106民初123号' },
      by: officer,
    });
    const [latest] = await e.vault.accessLog(person, { limit: 1 });
    assert.equal(latest!.operation, 'disclose');
    assert.equal(latest!.actorLabel, 'authority:tianhe-court');
    assert.deepEqual(latest!.categories.sort(), ['id_document', 'identity']);
    const { rows } = await e.t.db.query<{ due: boolean; state: string; recipient: string }>(
      `SELECT o.due_at <= now() AS due, o.state, n.params->>'recipient' AS recipient
         FROM notify_outbox o JOIN notification n ON n.id = o.notification_id
        WHERE o.subject_id = $1 AND n.template = 'disclosure-notice' AND o.channel = 'sms'`,
      [person],
    );
    assert.deepEqual(
      rows,
      [{ due: true, state: 'pending', recipient: 'tianhe-court' }],
      'a notice is queued',
    );
  });

  test('P5.3.3 a disclosure under a recorded restriction stays hidden until the restriction ends', async () => {
    const before = (await e.vault.accessLog(person)).length;
    const until = new Date(Date.now() + 1500);
    await sharing.disclose({
      subjectId: person,
      recipient: 'public-security',
      fields: ['phone'],
      order: { authority: '市公安局', reference: '穗公(2026)88号' },
      restrictedUntil: until,
      by: officer,
    });
    assert.equal((await e.vault.accessLog(person)).length, before, 'hidden while restricted');
    const notice = await e.t.db.query<{ after: Date }>(
      `SELECT due_at AS after FROM notify_outbox WHERE subject_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [person],
    );
    assert.equal(notice.rows[0]!.after.getTime(), until.getTime());
    await new Promise((r) => setTimeout(r, until.getTime() - Date.now() + 100));
    const log = await e.vault.accessLog(person);
    assert.equal(log.length, before + 1);
    assert.equal(log.find((l) => l.actorLabel === 'authority:public-security')?.operation, 'disclose');
    await assert.rejects(
      sharing.disclose({
        subjectId: person,
        recipient: 'x',
        fields: ['phone'],
        order: { authority: 'a', reference: 'b' },
        restrictedUntil: new Date(Date.now() - 1000),
        by: officer,
      }),
      refusedWith('sharing.restriction_needs_end', 'P5.3.3'),
    );
  });
});

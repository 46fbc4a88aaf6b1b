/**
 * Invariant: an e-mail address reaches the person only once they typed back the code mailed
 * to it; until then it is released to nobody. A wrong, expired or over-guessed code verifies
 * nothing; a change tells the old address; a removal erases the vault field. The mail channel
 * delivers in the person's language, as text and HTML, with one-click unsubscribe only on
 * mail they may refuse, and a hard bounce is counted until the address no longer reaches them.
 * Everything goes over a real SMTP conversation (test/support/smtp-sink.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, registerInProcess, type Composed } from '../../../test/support/compose.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.ts';
import { HARD_BOUNCES_UNREACHABLE } from './notify.reach.ts';

let sink: SmtpSink;
let p: Composed<'email' | 'notify' | 'vault' | 'identity' | 'sms'>;
let n = 0;
const person = async () =>
  (await registerInProcess(p, `1351234${String(8000 + ++n)}`, idNumberFor(800 + n))).subjectId;
const ctx = { locale: 'en' };
const codeTo = async (address: string) => {
  const got = sink.received.filter((r) => r.envelope.to.includes(address)).at(-1)!;
  return /\b(\d{6})\b/.exec(got.mail.text ?? '')![1]!;
};
const readEmail = async (subjectId: string) =>
  (
    await p.vault.read({
      subjectId,
      actor: { type: 'department', id: 'tax', label: 'department:tax' },
      purpose: 'account-security',
      basis: { type: 'necessity', service: 'test' },
      fields: ['email'],
    })
  ).values.email;
/** Makes the newest code mail old enough for another one. */
const aMinuteLater = (subjectId: string) =>
  p.db.query(
    `UPDATE notify_email SET code_sent_at = code_sent_at - interval '2 minutes' WHERE subject_id = $1`,
    [subjectId],
  );

describe('e-mail addresses', () => {
  before(async () => {
    sink = await startSmtpSink({ bounce: ['gone@example.cn'] });
    p = await compose(['email', 'notify', 'vault', 'identity', 'sms'], {
      SMTP_URL: sink.url,
      SMTP_REQUIRE_TLS: 'false',
    });
  });
  after(async () => {
    await p.close();
    await sink.close();
  });

  test('P8.1 an address is added, proved by the code mailed to it, and only then released', async () => {
    const me = await person();
    await p.email.add(me, ' Wang.Fang@Example.CN ', ctx);
    const mailed = sink.received.at(-1)!;
    assert.deepEqual(mailed.envelope.to, ['Wang.Fang@example.cn']);
    assert.match(mailed.mail.subject ?? '', /Your Civitas e-mail code/);
    assert.equal(await readEmail(me), undefined, 'a pending address is not released');
    assert.equal((await p.email.overview(me)).pending?.address, 'Wang.Fang@example.cn');

    assert.equal(await p.email.verify(me, await codeTo('Wang.Fang@example.cn'), ctx), 'added');
    assert.equal(await readEmail(me), 'Wang.Fang@example.cn');
    const o = await p.email.overview(me);
    assert.equal(o.verified?.address, 'Wang.Fang@example.cn');
    assert.equal(o.pending, undefined);
    const { rows } = await p.db.query(
      `SELECT detail::text FROM audit_entry WHERE subject_id = $1 AND action LIKE 'notify.email%'`,
      [me],
    );
    assert.equal(rows.length, 2);
    assert.doesNotMatch(JSON.stringify(rows), /example/i, 'the audit never names the address');
  });

  test('P8.1 a wrong code is refused with guesses left; the fifth spends it; an expired code verifies nothing', async () => {
    const me = await person();
    await p.email.add(me, 'li.na@example.cn', ctx);
    const right = await codeTo('li.na@example.cn');
    const wrong = right === '000000' ? '111111' : '000000';
    await assert.rejects(p.email.verify(me, wrong, ctx), {
      code: 'notify.email_code_invalid',
      detail: '4 left',
    });
    for (let i = 0; i < 3; i++)
      await assert.rejects(p.email.verify(me, wrong, ctx), { code: 'notify.email_code_invalid' });
    await assert.rejects(p.email.verify(me, wrong, ctx), { code: 'notify.email_code_used_up' });
    await assert.rejects(
      p.email.verify(me, right, ctx),
      { code: 'notify.email_code_used_up' },
      'not even the right one',
    );

    await assert.rejects(p.email.resend(me, ctx), { code: 'notify.email_too_many_codes' }, 'one a minute');
    await aMinuteLater(me);
    await p.email.resend(me, ctx);
    const fresh = await codeTo('li.na@example.cn');
    await p.db.query(
      `UPDATE notify_email SET code_expires_at = now() - interval '1 second' WHERE subject_id = $1`,
      [me],
    );
    await assert.rejects(p.email.verify(me, fresh, ctx), { code: 'notify.email_code_used_up' });
    assert.equal(await readEmail(me), undefined);
  });

  test('P8.1.correct a change keeps the old address until the new one is verified, then tells the old one', async () => {
    const me = await person();
    await p.email.add(me, 'old@example.cn', ctx);
    await p.email.verify(me, await codeTo('old@example.cn'), ctx);
    await aMinuteLater(me);
    await p.email.add(me, 'new@example.cn', ctx);
    assert.equal(await readEmail(me), 'old@example.cn', 'the old address stays until the new one is proved');
    const before = sink.received.length;
    assert.equal(await p.email.verify(me, await codeTo('new@example.cn'), ctx), 'changed');
    assert.equal(await readEmail(me), 'new@example.cn');
    const told = (await sink.waitFor(before + 1))[before]!;
    assert.deepEqual(told.envelope.to, ['old@example.cn']);
    assert.match(told.mail.text ?? '', /will not write to this address any more/);
    assert.doesNotMatch(told.raw, /new@example/, 'the old address is not told the new one');
    const inbox = await p.notify.inbox(me, 'en');
    assert.ok(inbox.some((m) => m.template === 'email-changed' && /was changed/.test(m.text)));
  });

  test('P8.1.delete removing the address erases the vault field: no release returns it, its lookup finds nobody', async () => {
    const me = await person();
    await p.email.add(me, 'gone.soon@example.cn', ctx);
    await p.email.verify(me, await codeTo('gone.soon@example.cn'), ctx);
    assert.deepEqual(await p.vault.findSubject('email', 'gone.soon@example.cn'), [me]);
    await p.email.remove(me, ctx);
    assert.equal(await readEmail(me), undefined);
    assert.deepEqual(await p.vault.findSubject('email', 'gone.soon@example.cn'), []);
    assert.deepEqual(await p.email.overview(me), {});
    await assert.rejects(p.email.remove(me, ctx), { code: 'notify.email_none' });
  });

  test('P8.1 an address another person verified is added exactly like any other (nothing tells it is used)', async () => {
    const a = await person();
    const b = await person();
    await p.email.add(a, 'family@example.cn', ctx);
    await p.email.verify(a, await codeTo('family@example.cn'), ctx);
    await p.email.add(b, 'family@example.cn', ctx);
    await p.email.verify(b, await codeTo('family@example.cn'), ctx);
    assert.equal(await readEmail(a), 'family@example.cn');
    assert.equal(await readEmail(b), 'family@example.cn');
  });

  test('P7.3 the mail channel sends a queued alert as text and HTML in the person’s language, without unsubscribe', async () => {
    const me = await person();
    await p.email.add(me, 'alerts@example.cn', ctx);
    await p.email.verify(me, await codeTo('alerts@example.cn'), ctx);
    await p.db.tx((q) =>
      p.notify.enqueue(q, {
        subjectId: me,
        locale: 'cs',
        template: 'login-alert',
        params: { time: '2026-12-02 10:00', device: 'Firefox · Linux' },
      }),
    );
    const before = sink.received.filter((r) => r.envelope.to.includes('alerts@example.cn')).length;
    await p.notify.drainOutbox();
    const got = sink.received.filter((r) => r.envelope.to.includes('alerts@example.cn'))[before]!;
    assert.equal(got.mail.subject, 'Nové přihlášení k vašemu účtu');
    assert.match(got.raw, /^Content-Type: multipart\/alternative/im);
    assert.match(got.mail.text ?? '', /Firefox · Linux/);
    assert.match(String(got.mail.html), /<html lang="cs">/);
    assert.equal(got.mail.headers.get('content-language'), 'cs');
    assert.doesNotMatch(got.raw, /^List-Unsubscribe/im, 'a security alert cannot be refused');
  });

  test('P7.2i.notify: a notice to several people, drained by several loops in batches, reaches each once and logs each destination read', async () => {
    const people: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await person();
      await p.email.add(id, `batch${i}@example.cn`, ctx);
      await p.email.verify(id, await codeTo(`batch${i}@example.cn`), ctx);
      people.push(id);
    }
    const notifyReads = async (id: string) =>
      (await p.vault.accessLog(id, { limit: 100 })).filter((a) => a.actorLabel === 'system:notify').length;
    const readsBefore = await Promise.all(people.map(notifyReads));
    const zh = (text: string) => ({ 'zh-CN': text });
    await p.db.tx((q) =>
      p.notify.fanOut(
        q,
        {
          key: `test:batch:${people[0]}`,
          template: 'incident-notice',
          params: {
            what: zh('短信服务商的日志被未授权访问。'),
            data: zh('手机号码'),
            cause: zh('服务商的访问密钥泄露。'),
            harm: zh('可能收到诈骗短信。'),
            measures: zh('已更换密钥。'),
            advice: zh('警惕冒充客服的短信。'),
            contact: zh('拨打 12345'),
          },
        },
        people,
      ),
    );
    const run = await p.notify.drainUntilEmpty({ workers: 3, batch: 2, budgetMs: 30_000 });
    assert.deepEqual([run.retrying, run.failed], [0, 0]);
    const progress = await p.notify.noticeProgress(`test:batch:${people[0]}`);
    assert.deepEqual(
      progress!.byChannel.filter((c) => c.channel === 'mail'),
      [{ channel: 'mail', state: 'sent', n: 4 }],
    );
    for (const [i, id] of people.entries()) {
      const got = sink.received.filter((r) => r.envelope.to.includes(`batch${i}@example.cn`));
      const notices = got.filter((r) => /12345/.test(r.mail.text ?? ''));
      assert.equal(notices.length, 1, `batch${i} got the notice once`);
      assert.match(notices[0]!.raw, /^Content-Type: multipart\/alternative/im);
      assert.match(notices[0]!.raw, /^To: batch\d@example\.cn/im);
      assert.doesNotMatch(notices[0]!.raw, /^List-Unsubscribe/im, 'an incident notice cannot be refused');
      // The notice went by SMS too: each channel read its destination (phone, address) once.
      assert.equal(await notifyReads(id), readsBefore[i]! + 2, 'each destination read is in the access log');
    }
    assert.equal((await p.notify.drainOutbox()).claimed, 0, 'nothing is left to send');
  });

  test('P8.5 optional mail carries a one-click link that switches mail off for its kind, without a session', async () => {
    const me = await person();
    await p.email.add(me, 'news@example.cn', ctx);
    await p.email.verify(me, await codeTo('news@example.cn'), ctx);
    await p.notify.choose(me, 'service', ['mail', 'push']);
    await p.db.tx((q) =>
      p.notify.enqueue(q, {
        subjectId: me,
        locale: 'zh-CN',
        template: 'service-update',
        params: { service: '<公积金>' },
      }),
    );
    await p.notify.drainOutbox();
    const got = sink.received.filter((r) => r.envelope.to.includes('news@example.cn')).at(-1)!;
    assert.equal(got.mail.subject, '<公积金>有新消息');
    assert.match(String(got.mail.html), /&lt;公积金&gt;/, 'parameters are escaped in the HTML');
    const headers = got.raw.replace(/\r?\n[ \t]+/g, ''); // unfolded
    const link = /^List-Unsubscribe: ?<([^>]+)>/im.exec(headers)![1]!;
    assert.match(got.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
    const token = link.split('/unsubscribe/')[1]!;
    assert.equal(
      await p.email.unsubscribe(token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA')),
      undefined,
      'a forged link does nothing',
    );
    assert.deepEqual(await p.email.unsubscribe(token), { kind: 'service' });
    const prefs = await p.notify.preferences(me);
    assert.deepEqual(prefs.kinds.find((k) => k.kind === 'service')!.channels, ['push']);
  });

  test('P7.2i a 5xx bounce fails the delivery for good and is counted; after enough the address no longer reaches the person', async () => {
    const me = await person();
    // Verified while the mailbox existed; it bounces from now on.
    await p.email.add(me, 'gone@example.cn', ctx).catch(() => undefined);
    const { rows: first } = await p.db.query<{ state: string }>(
      `SELECT state FROM notify_email WHERE subject_id = $1`,
      [me],
    );
    assert.deepEqual(
      first.map((r) => r.state),
      ['cancelled'],
      'a refused address is not kept',
    );
    await p.db.query(`INSERT INTO notify_email (subject_id, state) VALUES ($1, 'pending')`, [me]);
    await p.db.query(
      `UPDATE notify_email SET state = 'verified', verified_at = now() WHERE subject_id = $1 AND state = 'pending'`,
      [me],
    );
    await p.vault.write(
      me,
      { email: 'gone@example.cn' },
      { source: 'user', purpose: 'service-provision', actor: { type: 'self', id: me, label: 'self' } },
    );
    assert.ok((await p.notify.preferences(me)).reachable.includes('mail'));
    for (let i = 0; i < HARD_BOUNCES_UNREACHABLE; i++) {
      await p.db.tx((q) =>
        p.notify.enqueue(q, {
          subjectId: me,
          locale: 'en',
          template: 'login-alert',
          params: { time: '2026-12-02 10:00', device: 'Edge · Windows' },
        }),
      );
      await p.notify.drainOutbox();
    }
    const { rows } = await p.db.query<{ bounces: number; code: number; failed: number }>(
      `SELECT e.bounces, e.last_bounce_code AS code,
              (SELECT count(*)::int FROM notify_outbox o WHERE o.subject_id = e.subject_id AND o.channel = 'mail' AND o.state = 'failed' AND o.last_error = 'mail-rejected') AS failed
         FROM notify_email e WHERE e.subject_id = $1 AND e.state = 'verified'`,
      [me],
    );
    assert.deepEqual(rows[0], {
      bounces: HARD_BOUNCES_UNREACHABLE,
      code: 550,
      failed: HARD_BOUNCES_UNREACHABLE,
    });
    assert.ok(
      !(await p.notify.preferences(me)).reachable.includes('mail'),
      'mail no longer reaches the person',
    );
    assert.equal((await p.email.overview(me)).verified?.bounced, true, 'and their page can say why');
  });
});

/**
 * Invariant: through the pages a person makes a rights request, reads its deadline, what
 * can never be deleted and why (before asking) and where to ask questions; a request made
 * without a fresh proof waits until they prove it is them; the DPO's desk shows it by due
 * date, refuses to take up an unconfirmed one with its reason and clause, and a refusal the
 * DPO decides is shown to the person with its reason, its exemption and how to complain.
 * A refused form keeps what was typed; another person's request is not found; other staff
 * roles read why they may not.
 *
 * The rules themselves are the rights service's: src/modules/rights/rights.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { getConsolePage, postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';
import { foreignWords, visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let me: Citizen;
let other: Citizen;
let dpo: string;
let supportStaff: string;

const post = (who: Citizen, path: string, body: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) params.append(k, one);
  return fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${who.cookie}; civitas_lang=en`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: params.toString(),
  });
};
const get = (who: Citizen, path: string) =>
  fetch(`${p.url}${path}`, { redirect: 'manual', headers: { cookie: `${who.cookie}; civitas_lang=en` } });
const text = async (res: Response) => visibleTexts(await res.text()).join(' ');
/** Ten minutes have passed since this person last proved who they are. */
const stale = (who: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [who.subjectId],
  );

async function staffCookie(role: 'dpo' | 'support', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

const requestIdOf = (res: Response) =>
  /^\/me\/requests\/([0-9a-f-]{36})\?made=1$/.exec(res.headers.get('location') ?? '')?.[1];

describe('rights request pages', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    me = await registerCitizen(p, '13900000951', idNumberFor(951));
    other = await registerCitizen(p, '13900000952', idNumberFor(952));
    dpo = await staffCookie('dpo', 'dpo-rights@civitas.example');
    supportStaff = await staffCookie('support', 'support-rights@civitas.example');
  });
  after(() => p.stop());

  test('P8.4 P8.6 before asking, the page says the deadlines, what can never be deleted and why, and where to ask questions', async () => {
    const res = await get(me, '/me/requests');
    assert.equal(res.status, 200);
    const html = await res.text();
    const seen = visibleTexts(html).join(' ');
    assert.match(seen, /15 working days for an account cancellation, 30 days for every other request/);
    assert.match(seen, /What cannot be deleted or changed, and why/);
    assert.match(
      seen,
      /Record of access to and disclosure of personal data .*is the proof that each use was lawful/,
    );
    assert.match(seen, /Keeps: Who accessed my data/);
    assert.match(seen, /Questions about your rights, or a complaint/);
    assert.match(html, /<a href="\/privacy#P10">How to contact us<\/a>/);
  });

  test('P8.2 a request without words is refused beside its field, with what was chosen kept', async () => {
    const res = await post(me, '/me/requests', {
      kind: 'correction',
      categories: ['address', 'contact'],
      details: '',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /<a href="#request-details">The request is not complete: say what you ask for<\/a>/);
    assert.match(/<option value="correction"[^>]*>/.exec(html)![0], /selected/);
    assert.match(/<input type="checkbox" name="categories" value="address"[^>]*>/.exec(html)![0], /checked/);
    assert.equal((await p.rights.mine(me.subjectId)).length, 0);
  });

  test('P8.3 a request made without a fresh proof waits for the person to prove it is them; the desk cannot take it up before', async () => {
    await stale(me);
    const made = await post(me, '/me/requests', {
      kind: 'deletion',
      categories: ['access_record'],
      details: 'Delete the record of who read my data.',
    });
    assert.equal(made.status, 303);
    const id = requestIdOf(made)!;
    const page = await text(await get(me, `/me/requests/${id}?made=1`));
    assert.match(page, /Your request was received/);
    assert.match(page, /State Received: waiting for you to confirm it is you/);
    assert.match(page, /Identity Not confirmed yet/);

    // The DPO's desk lists it, and refuses to take it up with the reason and clause.
    const queue = await text(await getConsolePage(p.url, '/admin/rights', dpo));
    assert.match(queue, /Delete some of my data/);
    const refused = await postConsoleForm(
      p.url,
      `/admin/rights/${id}/decide`,
      { outcome: 'fulfilled', reason: '', exemption: '', note: 'Deleted.' },
      dpo,
    );
    assert.equal(refused.status, 409);
    const refusedHtml = await refused.text();
    assert.match(
      refusedHtml,
      /The person’s identity is not confirmed yet: the request cannot be handled before it is/,
    );
    assert.match(refusedHtml, /<code>P8\.3<\/code>/);
    assert.match(refusedHtml, /<textarea id="note" name="note"[^>]*>Deleted\.<\/textarea>/);

    // Confirming asks for the password first (step-up), then confirms.
    const ask = await post(me, `/me/requests/${id}/confirm`, {});
    assert.equal(ask.status, 200);
    assert.match(await ask.text(), /name="password"/);
    const wrong = await post(me, `/me/requests/${id}/confirm`, { reauth: '1', password: 'not it' });
    assert.equal(wrong.status, 400);
    assert.equal((await p.rights.ofPerson(me.subjectId, id)).request.state, 'submitted');
    const proved = await post(me, `/me/requests/${id}/confirm`, { reauth: '1', password: 'a test password' });
    assert.equal(proved.status, 303);
    assert.match(
      await text(await get(me, `/me/requests/${id}`)),
      /Identity Confirmed by you, with a fresh proof/,
    );
  });

  test('P8.4 the DPO refuses on an exemption; the person reads the reason, the exemption and how to complain', async () => {
    const made = await post(me, '/me/requests', {
      kind: 'deletion',
      details: 'Delete the audit entries about me.',
    });
    const id = requestIdOf(made)!;
    // Made within minutes of a proof: confirmed at once.
    assert.equal((await p.rights.ofPerson(me.subjectId, id)).request.state, 'identity-confirmed');
    assert.equal((await postConsoleForm(p.url, `/admin/rights/${id}/start`, {}, dpo)).status, 303);
    const noReason = await postConsoleForm(
      p.url,
      `/admin/rights/${id}/decide`,
      { outcome: 'refused', reason: '', exemption: '', note: 'Kept.' },
      dpo,
    );
    assert.equal(noReason.status, 400);
    assert.match(
      await noReason.text(),
      /A refusal or a partial answer needs its reason, and the exemption it rests on/,
    );
    const decided = await postConsoleForm(
      p.url,
      `/admin/rights/${id}/decide`,
      {
        outcome: 'refused',
        reason: 'exemption',
        exemption: 'audit-chain',
        note: 'The audit record cannot lose an entry; it holds no name or number.',
      },
      dpo,
    );
    assert.equal(decided.status, 303);
    const page = await text(await get(me, `/me/requests/${id}`));
    assert.match(page, /State Refused/);
    assert.match(page, /The audit record cannot lose an entry; it holds no name or number\./);
    assert.match(page, /Reason The law or the platform's security requires us to keep it/);
    assert.match(page, /Exemption it rests on Tamper-evident audit record \(identifiers and codes only\)/);
    assert.match(
      page,
      /you can complain through the feedback form or the 12345 hotline, or to the cyberspace administration/,
    );
    // Told in the inbox too.
    const inbox = await text(await get(me, '/me/inbox'));
    assert.match(inbox, /News about your data rights request/);
  });

  test('P8.2 the DPO asks, the person answers on the page, the request is fulfilled; another person and other roles see nothing', async () => {
    const id = requestIdOf(
      await post(me, '/me/requests', {
        kind: 'explanation',
        details: 'Why was my housing application refused?',
      }),
    )!;
    await postConsoleForm(p.url, `/admin/rights/${id}/start`, {}, dpo);
    await postConsoleForm(p.url, `/admin/rights/${id}/ask`, { question: 'Which application number?' }, dpo);
    const asked = await text(await get(me, `/me/requests/${id}`));
    assert.match(asked, /Our question to you Which application number\?/);
    const empty = await post(me, `/me/requests/${id}/answer`, { answer: ' ' });
    assert.equal(empty.status, 400);
    assert.equal((await post(me, `/me/requests/${id}/answer`, { answer: 'HF-2026-118' })).status, 303);
    await postConsoleForm(
      p.url,
      `/admin/rights/${id}/decide`,
      {
        outcome: 'fulfilled',
        reason: '',
        exemption: '',
        note: 'The income limit was exceeded; see the letter.',
      },
      dpo,
    );
    const done = await text(await get(me, `/me/requests/${id}`));
    assert.match(done, /State Done/);
    assert.match(done, /HF-2026-118/);

    assert.equal((await get(other, `/me/requests/${id}`)).status, 404);
    assert.equal((await post(other, `/me/requests/${id}/withdraw`, { confirm: '1' })).status, 404);
    const denied = await getConsolePage(p.url, '/admin/rights', supportStaff);
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /Only the data protection officer decides rights requests/);
    assert.doesNotMatch(
      await (await getConsolePage(p.url, '/admin', supportStaff)).text(),
      /href="\/admin\/rights"/,
    );
  });

  test('P8.2 withdrawing asks first; only the second press withdraws', async () => {
    const id = requestIdOf(await post(me, '/me/requests', { kind: 'copy', details: '' }))!;
    const first = await post(me, `/me/requests/${id}/withdraw`, {});
    assert.equal(first.status, 200);
    assert.match(await text(first), /Withdraw this request\?/);
    assert.equal((await p.rights.ofPerson(me.subjectId, id)).request.state, 'identity-confirmed');
    assert.equal((await post(me, `/me/requests/${id}/withdraw`, { confirm: '1' })).status, 303);
    assert.match(await text(await get(me, `/me/requests/${id}`)), /State Withdrawn/);
  });

  test('the request pages and the desk speak zh-CN and Czech, with no raw identifier', async () => {
    const [r] = await p.rights.mine(me.subjectId);
    const pages: [string, string][] = [
      ['/me/requests', me.cookie],
      [`/me/requests/${r!.id}`, me.cookie],
      ['/admin/rights', dpo],
      [`/admin/rights/${r!.id}`, dpo],
    ];
    const found: string[] = [];
    for (const locale of ['zh-CN', 'cs'] as const)
      for (const [path, cookie] of pages) {
        const res = await fetch(`${p.url}${path}`, {
          headers: { cookie: `${cookie}; civitas_lang=${locale}` },
        });
        assert.equal(res.status, 200, path);
        for (const f of foreignWords(await res.text(), locale))
          found.push(`${locale} ${path} [${f.kind}] «${f.word}» in «${f.text}»`);
      }
    assert.deepEqual(found, []);
  });
});

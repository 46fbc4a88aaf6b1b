/**
 * Invariant: the production SMS client speaks the documented protocol
 * (docs/adapters/sms-gateway.md) and treats anything but a 202 with a message id as the
 * gateway being unavailable; it is tested against a real HTTP server.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { HttpSmsGateway, SmsUnavailable, maskPhone } from './sms.ts';
import { LocalSmsGateway } from '../dev/sms.ts';

let server: Server;
let base: string;
const seen: { auth: string | undefined; body: unknown; path: string | undefined }[] = [];
let answer: { status: number; body: string; delayMs?: number } = { status: 202, body: '{"messageId":"m-1"}' };

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => resolve(data));
  });

describe('SMS gateway adapters', () => {
  before(async () => {
    server = createServer(async (req, res) => {
      seen.push({ auth: req.headers.authorization, body: JSON.parse(await read(req)), path: req.url });
      setTimeout(
        () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body),
        answer.delayMs ?? 0,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('sends the documented request and returns the message id', async () => {
    const gw = new HttpSmsGateway(base, 'token-0123456789abcdef');
    const r = await gw.send({
      to: '13812345678',
      template: 'verification-code',
      params: { code: '123456' },
      locale: 'zh-CN',
    });
    assert.deepEqual(r, { messageId: 'm-1' });
    assert.deepEqual(seen.at(-1), {
      auth: 'Bearer token-0123456789abcdef',
      path: '/gateway/v1/messages',
      body: { to: '13812345678', template: 'verification-code', params: { code: '123456' }, locale: 'zh-CN' },
    });
  });

  test('P7.3 a login alert is sent as its own template with only time and device kind', async () => {
    const gw = new HttpSmsGateway(base, 'token-0123456789abcdef');
    await gw.send({
      to: '13812345678',
      template: 'login-alert',
      params: { time: '2026-11-25 03:20', device: 'Firefox · Windows' },
      locale: 'cs',
    });
    assert.deepEqual(seen.at(-1)?.body, {
      to: '13812345678',
      template: 'login-alert',
      params: { time: '2026-11-25 03:20', device: 'Firefox · Windows' },
      locale: 'cs',
    });
  });

  test('a refusal, a malformed answer or a timeout is "unavailable"', async () => {
    const gw = new HttpSmsGateway(base, 'token-0123456789abcdef', 200);
    const msg = {
      to: '13812345678',
      template: 'verification-code' as const,
      params: { code: '1' },
      locale: 'en',
    };
    for (const a of [
      { status: 500, body: '{}' },
      { status: 202, body: 'not json' },
      { status: 202, body: '{"messageId":"m"}', delayMs: 400 },
    ]) {
      answer = a;
      await assert.rejects(gw.send(msg), SmsUnavailable);
    }
    answer = { status: 202, body: '{"messageId":"m-1"}' };
  });

  test('the local gateway keeps the code for development and prints the number masked', async () => {
    const lines: string[] = [];
    const gw = new LocalSmsGateway((l) => lines.push(l));
    await gw.send({
      to: '13812345678',
      template: 'verification-code',
      params: { code: '654321' },
      locale: 'en',
    });
    assert.equal(gw.lastCode('13812345678'), '654321');
    await gw.send({
      to: '13812345678',
      template: 'login-alert',
      params: { time: '2026-11-25 03:20', device: 'Chrome · Android' },
      locale: 'en',
    });
    assert.equal(gw.lastCode('13812345678'), '654321', 'an alert is not a code');
    assert.deepEqual(lines, [
      'development SMS to 138****5678: code 654321',
      'development SMS to 138****5678: login alert, 2026-11-25 03:20 from Chrome · Android',
    ]);
    assert.equal(maskPhone('+8613812345678'), '+86138****5678');
  });
});

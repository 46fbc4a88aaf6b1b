/**
 * The relay of the mail-delivery bench, in its own process so that its CPU is not counted
 * as Civitas's: a real SMTP server (smtp-server) with STARTTLS, as production requires,
 * that reads each message to its end and remembers only its envelope recipient, so a
 * recipient seen twice is a message sent twice. Speaks to its parent over IPC:
 * `{ ready: port, ca }` once listening, then `{ received, distinct, cpuMicros }` on `count`
 * (its own CPU so far, so the bench can say what a mail costs the relay).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { certificate } from '../test/support/smtp-sink.ts';

const tls = certificate();
const seen = new Set<string>();
let received = 0;
const server = new SMTPServer({
  key: tls.key,
  cert: tls.cert,
  disabledCommands: ['AUTH'],
  authOptional: true,
  logger: false,
  onData(stream, session, cb) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      for (const r of session.envelope.rcptTo) seen.add(r.address);
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.server.address() as AddressInfo).port, ca: tls.ca });
});
process.on('message', (m) => {
  if (m === 'count') {
    const cpu = process.cpuUsage();
    process.send?.({ received, distinct: seen.size, cpuMicros: cpu.user + cpu.system });
  }
  if (m === 'stop') server.close(() => process.exit(0));
});

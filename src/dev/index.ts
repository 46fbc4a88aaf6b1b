/**
 * Development fakes (ADR 0020): stand-ins for the outside systems, used in development and
 * tests when a system is not configured. Only src/adapters/outside-systems.ts loads this
 * folder, with a dynamic import() behind a mode check, so a production process never loads
 * any of it (test/production-start.test.ts); lint keeps every other production file out.
 */
import type { Config } from '../kernel/config/index.ts';
import { LocalBankVerify } from './bank-verify.ts';
import { LocalCompanyRegistry } from './company-registry.ts';
import { LocalFaceMatch } from './face-match.ts';
import { startDevProvider, type DevProvider } from './linked-provider.ts';
import { LocalPopulationRegistry } from './population-registry.ts';
import { LocalSmsGateway } from './sms.ts';
import { LocalMailbox } from './mail.ts';

export type { DevProvider };

/** The local SMS gateway; `print` receives each message (masked number) for the console. */
export const localSms = (print?: (line: string) => void) => new LocalSmsGateway(print);

export const localCompanyRegistry = () => new LocalCompanyRegistry();

/** The local mailbox: .eml files under `dir`; `print` receives each file name. */
export const localMailbox = (dir: string, from: string, print?: (line: string) => void) =>
  new LocalMailbox(dir, from, print);

/**
 * The local verification partners over the seeded fictitious people. The local face partner
 * resolves photo references through the local registry, so the two work together.
 */
export function localVerificationPartners() {
  const registry = new LocalPopulationRegistry();
  return {
    registry,
    face: new LocalFaceMatch((ref) => registry.photo(ref)),
    bank: new LocalBankVerify(),
  };
}

/** P7.1 a local upstream OpenID provider for linked accounts, and its provider entry. */
export async function localLinkedProvider(): Promise<{
  provider: Config['linkedProviders'][number];
  dev: DevProvider;
}> {
  const dev = await startDevProvider();
  return {
    dev,
    provider: {
      id: 'devpay',
      name: { 'zh-CN': '开发支付（本地）', en: 'DevPay (local)', cs: 'DevPay (místní)' },
      issuer: dev.issuer,
      clientId: dev.clientId,
      clientSecret: dev.clientSecret,
    },
  };
}

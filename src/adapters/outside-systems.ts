/**
 * The single wiring point of the outside systems (ADR 0020): chooses each adapter from the
 * configuration. A configured system gets its production client (src/adapters/); an
 * unconfigured one gets its development fake from src/dev/, loaded here by a dynamic
 * import() and only outside production, so a production process never loads fake code
 * (test/production-start.test.ts). Production requires every system (kernel/config/load.ts
 * refuses a configuration without one); should one still be missing, the start is refused
 * here too rather than fall back to a fake.
 */
import type { Config } from '../kernel/config/index.ts';
import { HttpBankVerify, type BankVerify } from './bank-verify.ts';
import { HttpCompanyRegistry, type CompanyRegistry } from './company-registry.ts';
import { HttpFaceMatch, type FaceMatch } from './face-match.ts';
import { HttpPopulationRegistry, type PopulationRegistry } from './population-registry.ts';
import { HttpSmsGateway, type SmsGateway } from './sms.ts';
import { createSmtpTransport, type MailTransport } from './mail.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Dev from '../dev/index.ts';
import type { DevProvider } from '../dev/index.ts';

export type { DevProvider };

export interface VerificationPartners {
  registry: PopulationRegistry;
  face: FaceMatch;
  bank: BankVerify;
}

export interface OutsideSystems {
  sms: SmsGateway;
  /** The mail relay, or (outside production, SMTP_URL unset) the local .eml mailbox. */
  mail: MailTransport;
  companyRegistry: CompanyRegistry;
  partners: VerificationPartners;
  /** P7.1 the configured upstream providers, or the local development one. */
  linkedProviders: Config['linkedProviders'];
  /** Development and test: the local upstream OpenID provider, when started. */
  devProvider?: DevProvider | undefined;
  close(): Promise<void>;
}

type Choosing = Pick<
  Config,
  | 'mode'
  | 'smsGatewayUrl'
  | 'smsGatewayToken'
  | 'companyRegistryUrl'
  | 'companyRegistryToken'
  | 'populationRegistryUrl'
  | 'populationRegistryToken'
  | 'faceMatchUrl'
  | 'faceMatchToken'
  | 'bankVerifyUrl'
  | 'bankVerifyToken'
  | 'linkedProviders'
  | 'smtpUrl'
  | 'smtpRequireTls'
  | 'smtpCaFile'
  | 'mailFrom'
  | 'dataDir'
>;

/**
 * The development fakes, loaded on first need. In production: refused, naming the
 * setting that is missing (a production process never loads src/dev/).
 */
function devFakes(mode: Config['mode']) {
  let loaded: Promise<typeof Dev> | undefined;
  return (setting: string) => {
    if (mode === 'production')
      throw new Error(
        `refusing to start: ${setting} is not set, and production never uses a development fake (src/dev/)`,
      );
    return (loaded ??= import('../dev/index.ts'));
  };
}

export async function createOutsideSystems(
  c: Choosing,
  opts: { print?: ((line: string) => void) | undefined } = {},
): Promise<OutsideSystems> {
  const dev = devFakes(c.mode);
  const sms =
    c.smsGatewayUrl && c.smsGatewayToken
      ? new HttpSmsGateway(c.smsGatewayUrl, c.smsGatewayToken)
      : (await dev('SMS_GATEWAY_URL')).localSms(opts.print);
  const companyRegistry =
    c.companyRegistryUrl && c.companyRegistryToken
      ? new HttpCompanyRegistry(c.companyRegistryUrl, c.companyRegistryToken)
      : (await dev('COMPANY_REGISTRY_URL')).localCompanyRegistry();
  const mail = c.smtpUrl
    ? createSmtpTransport({
        url: c.smtpUrl,
        from: c.mailFrom,
        requireTls: c.smtpRequireTls,
        ...(c.smtpCaFile ? { tls: { ca: readFileSync(c.smtpCaFile, 'utf8') } } : {}),
      })
    : (await dev('SMTP_URL')).localMailbox(join(c.dataDir, 'mail'), c.mailFrom, opts.print);
  const partners = await createVerificationPartners(c, dev);
  // P7.1 without any configured provider, development and test get a local one; production
  // offers no linked sign-in then (not a fake: simply none).
  if (c.linkedProviders.length > 0 || c.mode === 'production')
    return {
      sms,
      mail,
      companyRegistry,
      partners,
      linkedProviders: c.linkedProviders,
      close: () => mail.close(),
    };
  const linked = await (await dev('LINKED_ACCOUNT_PROVIDERS')).localLinkedProvider();
  return {
    sms,
    mail,
    companyRegistry,
    partners,
    linkedProviders: [linked.provider],
    devProvider: linked.dev,
    close: async () => {
      await mail.close();
      await linked.dev.close();
    },
  };
}

/**
 * The verification partners' clients: the HTTP client when its URL is set, else (outside
 * production) the local implementation over the seeded fictitious people.
 */
async function createVerificationPartners(
  c: Choosing,
  dev: ReturnType<typeof devFakes>,
): Promise<VerificationPartners> {
  const configured = {
    registry:
      c.populationRegistryUrl && c.populationRegistryToken
        ? new HttpPopulationRegistry({ baseUrl: c.populationRegistryUrl, token: c.populationRegistryToken })
        : undefined,
    face:
      c.faceMatchUrl && c.faceMatchToken
        ? new HttpFaceMatch({ baseUrl: c.faceMatchUrl, token: c.faceMatchToken })
        : undefined,
    bank:
      c.bankVerifyUrl && c.bankVerifyToken
        ? new HttpBankVerify({ baseUrl: c.bankVerifyUrl, token: c.bankVerifyToken })
        : undefined,
  };
  const missing = [
    configured.registry ? undefined : 'POPULATION_REGISTRY_URL',
    configured.face ? undefined : 'FACE_MATCH_URL',
    configured.bank ? undefined : 'BANK_VERIFY_URL',
  ].filter((x) => x !== undefined);
  const local = missing.length > 0 ? (await dev(missing.join(', '))).localVerificationPartners() : undefined;
  return {
    registry: configured.registry ?? local!.registry,
    face: configured.face ?? local!.face,
    bank: configured.bank ?? local!.bank,
  };
}

/**
 * Development and tests: a company registry answering from a seeded set of fictitious
 * companies and recording every request it received, so a test can prove what left the
 * platform (P5.1.4: only the credit code and the representative's ID number). Never loaded
 * in production (production requires COMPANY_REGISTRY_URL).
 */
import type { CompanyRegistry, RegistryAnswer, RepresentativeCheck } from '../adapters/company-registry.ts';

export interface RegisteredCompany {
  creditCode: string;
  name: string;
  status: 'active' | 'revoked';
  representative: { name: string; idNumber: string };
}

/**
 * Fictitious companies for development and tests. Every code passes GB 32100 and every
 * representative's ID number passes GB 11643 (check characters computed, not invented).
 */
export const seededCompanies: readonly RegisteredCompany[] = [
  {
    creditCode: '91110108MA01CW0A2L',
    name: '北京青禾软件有限公司',
    status: 'active',
    representative: { name: '李明', idNumber: '110108198003151233' },
  },
  {
    creditCode: '91310115MA1FL2B379',
    name: '上海浦江物流有限公司',
    status: 'active',
    representative: { name: '王芳', idNumber: '310115197506204567' },
  },
  {
    creditCode: '91440300MA5D0C7EXQ',
    name: '深圳南山电子有限公司',
    status: 'revoked',
    representative: { name: '陈伟', idNumber: '44030019880901789X' },
  },
  {
    creditCode: '91330106MA2H8K4P4D',
    name: '杭州西湖茶业有限公司',
    status: 'active',
    representative: { name: '赵丽', idNumber: '330106199202143212' },
  },
  {
    creditCode: '91510107MA6Q3R9T66',
    name: '成都锦江餐饮有限公司',
    status: 'active',
    representative: { name: '刘洋', idNumber: '510107198507116544' },
  },
  {
    // The demo representative a newcomer can be: 张伟 is also a person the local population
    // registry and face partner know (partner-seed.ts), so an account registered with his
    // name and ID number reaches L3 and binds this company online (docs/verification.md).
    creditCode: '91310104MA1K500048',
    name: '上海徐汇文具有限公司',
    status: 'active',
    representative: { name: '张伟', idNumber: '310104197801012630' },
  },
];

export class LocalCompanyRegistry implements CompanyRegistry {
  /** Every request exactly as received (a copy of the whole object, not chosen fields). */
  readonly received: unknown[] = [];
  constructor(private readonly companies: readonly RegisteredCompany[] = seededCompanies) {}

  async checkRepresentative(check: RepresentativeCheck): Promise<RegistryAnswer | undefined> {
    this.received.push(structuredClone(check));
    const c = this.companies.find((x) => x.creditCode === String(check.creditCode).toUpperCase());
    if (!c) return undefined;
    return {
      creditCode: c.creditCode,
      name: c.name,
      status: c.status,
      representative: c.representative.idNumber === String(check.idNumber).toUpperCase(),
    };
  }
}

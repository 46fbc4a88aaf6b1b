/**
 * The company registry: confirms that a person is the legal representative of a company
 * identified by its unified social credit code. `HttpCompanyRegistry` speaks the HTTP/JSON
 * protocol of docs/adapters/company-registry.md; the development fake over fictitious
 * companies is src/dev/company-registry.ts.
 */
export interface RepresentativeCheck {
  creditCode: string;
  idNumber: string;
}

export interface RegistryAnswer {
  creditCode: string;
  /** The company's registered name (public registry data). */
  name: string;
  status: 'active' | 'revoked';
  /** Whether the ID number sent is that of the company's legal representative. */
  representative: boolean;
}

export interface CompanyRegistry {
  /** The registry's answer, or undefined when it knows no company with that code. */
  checkRepresentative(check: RepresentativeCheck): Promise<RegistryAnswer | undefined>;
}

export class RegistryUnavailable extends Error {
  constructor(reason: string) {
    super(`company registry unavailable: ${reason}`);
    this.name = 'RegistryUnavailable';
  }
}

export class HttpCompanyRegistry implements CompanyRegistry {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  async checkRepresentative(check: RepresentativeCheck): Promise<RegistryAnswer | undefined> {
    let res: Response;
    try {
      res = await fetch(
        new URL('v1/representative-checks', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`),
        {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
          // Exactly these two properties: nothing else about the person leaves (P5.1.4).
          body: JSON.stringify({ creditCode: check.creditCode, idNumber: check.idNumber }),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
    } catch (err) {
      throw new RegistryUnavailable((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed');
    }
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new RegistryUnavailable(`status ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as Partial<Record<keyof RegistryAnswer, unknown>>;
    if (
      typeof body.creditCode !== 'string' ||
      typeof body.name !== 'string' ||
      (body.status !== 'active' && body.status !== 'revoked') ||
      typeof body.representative !== 'boolean'
    ) {
      throw new RegistryUnavailable('malformed answer');
    }
    return {
      creditCode: body.creditCode,
      name: body.name,
      status: body.status,
      representative: body.representative,
    };
  }
}

import type { Locale } from '../../kernel/locale.ts';

/** One upstream provider, as configured (LINKED_ACCOUNT_PROVIDERS) or the development one. */
export interface LinkedProviderConfig {
  id: string;
  name: Record<Locale, string>;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Password hashing for staff and citizens (P7.2: memory-hard password hashing): argon2id at the OWASP
 * minimum (m = 19 MiB, t = 2, p = 1). @node-rs/argon2 hashes on libuv's thread pool, so a
 * login never blocks the event loop.
 */
import { hash, verify } from '@node-rs/argon2';

// 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const params = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, params);

/**
 * Whether a stored hash was made with other parameters (or another algorithm) than today's:
 * after a successful sign-in the password is hashed again, so raising the parameters needs
 * no reset campaign.
 */
export const needsRehash = (stored: string): boolean =>
  !stored.startsWith(`$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`);

export const verifyPassword = (stored: string, password: string): Promise<boolean> =>
  verify(stored, password).catch(() => false);

/** A real hash of nothing anybody knows: unknown e-mails cost as much as known ones. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(`decoy-${Math.random()}`));

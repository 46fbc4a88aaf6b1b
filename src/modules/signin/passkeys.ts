/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: registration on the security page,
 * use as a second step, and passwordless sign-in with a discoverable credential.
 *
 * Rules:
 * - RP ID is the host name of the public URL (WebAuthn refuses IP addresses); the
 *   expected origin is that URL's origin.
 * - User verification is required (PIN or biometric on the authenticator): a passkey is
 *   then two factors in itself, so a passkey sign-in needs no further step (risk.ts).
 * - Every challenge is single use and lives five minutes; only public keys are stored.
 * - The user handle is the account id: no name or number goes to the authenticator.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Factors } from './factors.ts';
import { signInErrors } from './signin.errors.ts';
import { challengeHash } from './sign-in.ts';
import * as repo from './signin.repository.ts';
import { clock } from '../../kernel/clock.ts';

export interface RelyingParty {
  id: string;
  origin: string;
}

const TTL_MS = 5 * 60_000;
const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const failed = (detail: string) => new AppError(signInErrors.passkey_failed, detail);

export function createPasskeys(deps: { db: Database; factors: Factors }) {
  const { db } = deps;

  async function ceremony(kind: 'register' | 'sign-in', subjectId: string | null, challenge: string) {
    const token = randomBytes(32).toString('base64url');
    await repo.insertCeremony(
      db,
      challengeHash(token),
      subjectId,
      kind,
      challenge,
      new Date(clock.now() + TTL_MS),
    );
    return token;
  }

  async function take(token: string | undefined, kind: 'register' | 'sign-in', subjectId: string | null) {
    if (!token) throw failed('no ceremony');
    const r = await repo.takeCeremony(db, challengeHash(token), kind);
    if (!r || r.subject_id !== subjectId) throw failed('ceremony expired or not yours');
    return r.challenge;
  }

  /** Checks an assertion; returns the account it signs for. */
  async function verify(
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    rp: RelyingParty,
    subjectId?: string,
  ): Promise<string> {
    const pk = await repo.passkeyByCredential(db, String(response.id ?? ''));
    if (!pk || (subjectId && pk.subject_id !== subjectId)) throw failed('unknown credential');
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: response.id,
        publicKey: new Uint8Array(pk.public_key),
        counter: Number(pk.counter),
        transports: pk.transports as never,
      },
    }).catch((err: unknown) => {
      throw failed((err as Error).message);
    });
    if (!result.verified) throw failed('not verified');
    await repo.passkeyUsed(db, pk.id, result.authenticationInfo.newCounter);
    return pk.subject_id;
  }

  return {
    verify,

    async registrationOptions(subjectId: string, rp: RelyingParty) {
      const rows = await repo.credentialsOf(db, subjectId);
      const options = await generateRegistrationOptions({
        rpName: 'Civitas',
        rpID: rp.id,
        userName: 'Civitas',
        userDisplayName: 'Civitas',
        userID: uuidBytes(subjectId),
        attestationType: 'none',
        excludeCredentials: rows.map((r) => ({ id: r.credential_id, transports: r.transports })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      return { options, ceremony: await ceremony('register', subjectId, options.challenge) };
    },

    /** Stores a new passkey; returns recovery codes to show once if the account had none. */
    async register(
      subjectId: string,
      token: string | undefined,
      response: RegistrationResponseJSON,
      rp: RelyingParty,
      label: string,
      requestId: string,
    ): Promise<string[] | undefined> {
      const expectedChallenge = await take(token, 'register', subjectId);
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
      }).catch((err: unknown) => {
        throw failed((err as Error).message);
      });
      if (!result.verified) throw failed('not verified');
      const c = result.registrationInfo.credential;
      return db.tx(async (q) => {
        await repo.insertPasskey(q, {
          subjectId,
          credentialId: c.id,
          publicKey: Buffer.from(c.publicKey),
          counter: c.counter,
          transports: c.transports ?? [],
          label,
        });
        await deps.factors.auditFactor(
          q,
          subjectId,
          'identity.factor_added',
          { factor: 'passkey' },
          requestId,
        );
        return deps.factors.ensureRecoveryCodes(q, subjectId);
      });
    },

    /** Options for an assertion by one of the account's passkeys (second step). */
    async assertionOptions(subjectId: string, rp: RelyingParty) {
      const rows = await repo.credentialsOf(db, subjectId);
      return generateAuthenticationOptions({
        rpID: rp.id,
        userVerification: 'required',
        allowCredentials: rows.map((r) => ({ id: r.credential_id, transports: r.transports })),
      });
    },

    /** Passwordless sign-in: any discoverable passkey of this site. */
    async signInOptions(rp: RelyingParty) {
      const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required' });
      return { options, ceremony: await ceremony('sign-in', null, options.challenge) };
    },

    async signIn(token: string | undefined, response: AuthenticationResponseJSON, rp: RelyingParty) {
      return verify(response, await take(token, 'sign-in', null), rp);
    },
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;

/**
 * The verification service: one method per way of proving who you are, the correction of
 * verified data, and the service hall's in-person record. Attempts run through
 * verification.attempts.ts (lifecycle, caps, level); partners are reached only through
 * verification.partners.ts (sharing rules).
 *
 * Rules:
 * - P2.1 a corrected name or ID number is validated, written to the vault and lowers the
 *   level to L1 until verified again, in one audited transaction; a lowered level also
 *   ends the person's single sign-on sessions and revokes their grants in it (a service
 *   signed in at the old level must not keep reading the new, unverified data).
 * - P7.2 only a staff role allowed to use data for real-name verification (service_hall)
 *   may record an in-person check; the person is found by the ID number's blind index, and
 *   the staff read of their name appears in "who accessed my data".
 * - P7.2 the capture is zeroed after the decision; it is kept only on separate consent.
 * - P2.2.1 every uploaded photo loses its metadata (GPS, serial numbers, owner, dates: the
 *   photo module, ADR 0047) before it goes to the face partner or into the vault, unless the
 *   person ticked to keep it on the one photo that can be kept (`keepMetadata`); a photo that
 *   is not a JPEG or PNG we can clean is refused (`verification.invalid_image`).
 */
import type { Database } from '../../kernel/db/database.ts';
import { luhnValid } from '../../adapters/bank-verify.ts';
import { PartnerUnavailable } from '../../adapters/partner-http.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { ConsentService } from '../consent/index.ts';
import type { DocumentRef } from '../policy/index.ts';
import { assuranceLevel, setAssuranceLevel, type AssuranceLevel } from '../account/index.ts';
import { normaliseDigits, normaliseMobile, parseIdNumber, parseLegalName } from '../account/index.ts';
import { accountErrors } from '../account/index.ts';
import { noProviderSessions, type ProviderSessions } from '../session/index.ts';
import type { SharingService } from '../sharing/index.ts';
import { mayUseFor, type StaffMember } from '../staff/index.ts';
import { staffActor, type VaultService } from '../vault/index.ts';
import { createAttemptRunner, type Attempt, type Decision } from './verification.attempts.ts';
import { verificationErrors } from './verification.errors.ts';
import { documentKinds } from './verification.documents.ts';
import { createIdNumberReclaim, type IdNumberReclaim } from './verification.reclaim.ts';
import type { Outbox } from '../notify/index.ts';
import { createPartnerCalls, seedPartners, type VerificationAdapters } from './verification.partners.ts';
import * as repo from './verification.repository.ts';
import { clock } from '../../kernel/clock.ts';
import { PhotoRefused, stripPhotoMetadata } from '../photo/index.ts';

export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
/** The vault keeps values up to 100,000 characters: a kept image must fit as base64. */
export const MAX_KEPT_IMAGE_BYTES = 72 * 1024;
export { documentKinds, type DocumentKind } from './verification.documents.ts';

export interface FaceSubmission {
  image: Buffer;
  /** The person ticked the separate consent to keep the image: the policy document they read. */
  keep?: { document: DocumentRef };
  /** P2.2.1 the person ticked to keep the photo's metadata (location, camera, dates); default: removed. */
  keepMetadata?: boolean;
}

/**
 * P2.2.1 the photo as it may travel and be kept: without its metadata unless the person chose
 * to keep it (then as uploaded, still only a JPEG or PNG). A new buffer either way, zeroed by
 * the caller with the upload.
 */
function photoToUse(image: Buffer, keepMetadata: boolean): Buffer {
  try {
    const { bytes } = stripPhotoMetadata(image);
    if (!keepMetadata) return bytes;
    bytes.fill(0);
    return Buffer.from(image);
  } catch (err) {
    if (err instanceof PhotoRefused) throw new AppError(verificationErrors.invalid_image, err.reason);
    throw err;
  }
}

export interface VerificationService {
  /** Registers the three partners if missing (idempotent); returns how many were added. */
  seedPartners(): Promise<number>;
  status(subjectId: string): Promise<{ level: number; attempts: Attempt[] }>;
  verifyRegistry(subjectId: string, requestId: string): Promise<Decision>;
  verifyFace(
    subjectId: string,
    s: FaceSubmission,
    requestId: string,
  ): Promise<Decision & { imageKept: boolean }>;
  verifyBank(
    subjectId: string,
    card: { number: string; phone: string },
    requestId: string,
  ): Promise<Decision>;
  correct(
    subjectId: string,
    c: { name?: string; idNumber?: string },
    requestId: string,
  ): Promise<{ level: AssuranceLevel }>;
  recordInPerson(
    staff: StaffMember,
    r: { idNumber: string; documentKind: string; faceCompared: boolean },
    requestId: string,
  ): Promise<Decision & { subjectId: string; name: string }>;
  /** Taking back an ID number an unverified account holds (verification.reclaim.ts). */
  reclaim: IdNumberReclaim;
  /**
   * Whether the population registry confirms the account's name and ID number, for a step
   * other than verification (self-service phone recovery); the release to the registry is
   * checked and recorded like any other, and the level does not change.
   */
  registryConfirms(subjectId: string, service: string, requestId: string): Promise<boolean>;
  /**
   * Whether a live capture shows the person the registry holds for the account's name and ID
   * number (self-service phone recovery at L3): the same partners, threshold and zeroing of
   * the capture as an L3 verification, but no attempt row and no change of level; the image
   * is never kept.
   */
  faceConfirms(subjectId: string, image: Buffer, service: string, requestId: string): Promise<boolean>;
}

export function createVerificationService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  consent: ConsentService;
  sharing: SharingService;
  adapters: VerificationAdapters;
  residencyRegion: string;
  faceThreshold: number;
  attemptsPerDay: number;
  /** P2.1 single sign-on sessions and grants, ended when the level is lowered. */
  providerSessions?: ProviderSessions;
  /** Where the holder of a released ID number is told (notify's outbox). */
  outbox: Pick<Outbox, 'enqueue'>;
}): VerificationService {
  const { db, audit, vault } = deps;
  const runner = createAttemptRunner(deps);
  const calls = createPartnerCalls(deps);
  /** Outside an attempt, a partner outage is the person's refusal to try later, not a crash. */
  const reachable = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof PartnerUnavailable) throw new AppError(verificationErrors.partner_unavailable);
      throw err;
    }
  };

  return {
    reclaim: createIdNumberReclaim(deps),
    registryConfirms: (subjectId, service, requestId) =>
      reachable(async () => (await calls.registry(subjectId, service, requestId)).result === 'match'),
    async faceConfirms(subjectId, image, service, requestId) {
      let photo: Buffer | undefined;
      try {
        if (image.length === 0 || image.length > MAX_IMAGE_BYTES)
          throw new AppError(verificationErrors.invalid_image);
        // P2.2.1 never kept, so never with its metadata: the partner gets the picture only.
        const clean = (photo = photoToUse(image, false));
        return await reachable(async () => {
          const reg = await calls.registry(subjectId, service, requestId);
          if (reg.result !== 'match' || !reg.photoRef) return false;
          const f = await calls.face(subjectId, clean, reg.photoRef, requestId, service);
          return f.liveness === 'pass' && f.score >= deps.faceThreshold;
        });
      } finally {
        image.fill(0); // P7.2 the capture does not outlive the decision in this process
        photo?.fill(0);
      }
    },
    seedPartners: () => seedPartners(deps.sharing, deps.residencyRegion),

    async status(subjectId) {
      await db.tx((q) => runner.expireStale(q, subjectId));
      return {
        level: Math.max(await assuranceLevel(db, subjectId), 1),
        attempts: await repo.recentAttempts(db, subjectId),
      };
    },

    verifyRegistry: (subjectId, requestId) =>
      runner.run({ subjectId, method: 'population-registry', level: 2, requestId }, async () => {
        const r = await calls.registry(subjectId, 'verification-l2', requestId);
        return r.result === 'match'
          ? { event: 'match', outcome: 'registry-match' }
          : { event: 'mismatch', outcome: 'registry-mismatch', error: verificationErrors.registry_mismatch };
      }),

    async verifyFace(subjectId, s, requestId) {
      if (s.image.length === 0 || s.image.length > MAX_IMAGE_BYTES) {
        s.image.fill(0);
        throw new AppError(verificationErrors.invalid_image);
      }
      let photo: Buffer;
      try {
        photo = photoToUse(s.image, s.keepMetadata === true);
      } catch (err) {
        s.image.fill(0);
        throw err;
      }
      const keep = s.keep && photo.length <= MAX_KEPT_IMAGE_BYTES ? s.keep : undefined;
      let imageKept = false;
      try {
        const decision = await runner.run(
          { subjectId, method: 'face-match', level: 3, requestId },
          async () => {
            const reg = await calls.registry(subjectId, 'verification-l3', requestId);
            if (reg.result !== 'match' || !reg.photoRef)
              return {
                event: 'mismatch',
                outcome: 'registry-mismatch',
                error: verificationErrors.registry_mismatch,
              };
            const f = await calls.face(subjectId, photo, reg.photoRef, requestId);
            if (f.liveness !== 'pass')
              return {
                event: 'mismatch',
                outcome: 'liveness-failed',
                error: verificationErrors.liveness_failed,
              };
            if (f.score < deps.faceThreshold)
              return {
                event: 'mismatch',
                outcome: 'score-below-threshold',
                error: verificationErrors.face_mismatch,
              };
            return { event: 'match', outcome: 'face-match' };
          },
          keep
            ? async (q, attemptId) => {
                // P7.2 kept only under the separate sensitive-data consent, given first, in the same
                // transaction as the decision: the consent exists exactly when the image is kept.
                await deps.consent.give(
                  {
                    subjectId,
                    kind: 'use',
                    purpose: 'real-name-verification',
                    categories: ['biometric'],
                    channel: 'portal',
                    shown: { document: keep.document },
                    explicitSeparate: true,
                  },
                  { type: 'self', id: subjectId },
                  requestId,
                  q,
                );
                await vault.write(
                  subjectId,
                  { face_image: photo.toString('base64') },
                  {
                    source: 'user',
                    purpose: 'real-name-verification',
                    actor: { type: 'self', id: subjectId, label: 'self' },
                    requestId,
                  },
                  q,
                );
                await repo.markImageKept(q, attemptId);
                imageKept = true;
              }
            : undefined,
        );
        return { ...decision, imageKept };
      } finally {
        s.image.fill(0); // P7.2 the capture does not outlive the decision in this process
        photo.fill(0);
      }
    },

    async verifyBank(subjectId, card, requestId) {
      const number = normaliseDigits(card.number);
      if (!luhnValid(number)) throw new AppError(verificationErrors.invalid_card);
      const phone = normaliseMobile(card.phone);
      if (!phone) throw new AppError(verificationErrors.invalid_phone);
      return runner.run({ subjectId, method: 'bank-card', level: 4, requestId }, async () => {
        const r = await calls.bank(subjectId, { number, phone }, requestId);
        return r.result === 'match'
          ? { event: 'match', outcome: 'bank-match' }
          : { event: 'mismatch', outcome: 'bank-mismatch', error: verificationErrors.bank_mismatch };
      });
    },

    async correct(subjectId, c, requestId) {
      const values: { name?: string; id_number?: string } = {};
      if (c.name !== undefined && c.name.trim() !== '') {
        const name = parseLegalName(c.name);
        if ('problem' in name)
          throw new AppError(accountErrors.invalid_name, name.problem, [
            { path: 'name', message: name.problem },
          ]);
        values.name = name.value;
      }
      if (c.idNumber !== undefined && c.idNumber.trim() !== '') {
        const id = parseIdNumber(c.idNumber);
        if ('problem' in id)
          throw new AppError(accountErrors.invalid_id_number, id.problem, [
            { path: 'idNumber', message: id.problem },
          ]);
        values.id_number = id.value;
      }
      const fields = Object.keys(values);
      if (fields.length === 0) throw new AppError(verificationErrors.nothing_to_correct);
      const self = { type: 'self' as const, id: subjectId, label: 'self' };
      const tell = await db
        .tx(async (q) => {
          await vault.write(
            subjectId,
            values,
            { source: 'user', purpose: 'real-name-verification', actor: self, requestId },
            q,
          );
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'verification.corrected',
            subject: { type: 'person', id: subjectId },
            purpose: 'real-name-verification',
            clause: 'P8.1',
            detail: { fields },
            requestId,
          });
          const from = await setAssuranceLevel(q, audit, {
            subjectId,
            level: 1,
            reason: `corrected:${fields.join(',')}`,
            actor: { type: 'citizen', id: subjectId },
            requestId,
          });
          if (from === undefined || from <= 1) return async () => undefined;
          return (deps.providerSessions ?? noProviderSessions).end(q, {
            subjectId,
            revokeGrants: true,
            reason: 'assurance-lowered',
          });
        })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'vault.duplicate_value')
            throw new AppError(accountErrors.id_number_registered);
          throw err;
        });
      await tell();
      return { level: 1 };
    },

    async recordInPerson(staff, r, requestId) {
      if (!mayUseFor(staff.role, 'real-name-verification'))
        throw new AppError(httpErrors.forbidden, `role ${staff.role} may not record verifications`);
      if (!(documentKinds as readonly string[]).includes(r.documentKind) || !r.faceCompared)
        throw new AppError(verificationErrors.document_required);
      const id = parseIdNumber(r.idNumber);
      if ('problem' in id) throw new AppError(accountErrors.invalid_id_number, id.problem);
      const [subjectId] = await vault.findSubject('id_number', id.value);
      if (!subjectId || (await assuranceLevel(db, subjectId)) === 0)
        throw new AppError(verificationErrors.person_not_found);
      const actor = { type: 'staff' as const, id: staff.id };
      const { values } = await vault.read({
        subjectId,
        actor: staffActor(staff),
        purpose: 'real-name-verification',
        basis: { type: 'necessity', service: 'verification-in-person' },
        fields: ['name'],
        requestId,
      });
      const decision = await db.tx(async (q) => {
        await repo.lockSubject(q, subjectId);
        const row = await repo.insertAttempt(q, {
          subjectId,
          level: 4,
          method: 'service-hall',
          expiresAt: new Date(clock.now() + 60_000),
          staffId: staff.id,
          documentKind: r.documentKind,
        });
        await audit.append(q, {
          actor,
          action: 'verification.in_person_recorded',
          subject: { type: 'person', id: subjectId },
          purpose: 'real-name-verification',
          clause: 'P2.1',
          detail: { attemptId: row.id, documentKind: r.documentKind, staffRole: staff.role },
          requestId,
        });
        await runner.apply(q, row, 'submit', {}, actor, requestId);
        await runner.apply(q, row, 'match', { outcome: 'in-person' }, actor, requestId);
        await setAssuranceLevel(q, audit, {
          subjectId,
          level: 4,
          reason: 'verified:service-hall',
          actor,
          requestId,
        });
        return { attemptId: row.id, state: row.state, level: 4 as const };
      });
      return { ...decision, subjectId, name: values.name ?? '' };
    },
  };
}

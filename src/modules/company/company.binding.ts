/**
 * Binding a company to its legal representative's account.
 *
 * Rules:
 * - P2.1 a company is identified by a unified social credit code that passes GB 32100 and
 *   that the company registry confirms; only a person verified to level L3 or above whom the
 *   registry names as legal representative may bind it; a revoked company cannot be bound;
 *   one company, one binding (unique blind index of company_registration in the vault).
 * - P5.1.4 the registry is a registered partner; the representative's ID number reaches it
 *   only through the sharing module (basis necessity, purpose real-name-verification), and
 *   the request carries the credit code and that ID number, nothing else.
 * - The binding and every refusal are audited; the credit code is not written to the audit.
 */
import { RegistryUnavailable, type CompanyRegistry } from '../../adapters/company-registry.ts';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { assuranceLevel, foldWidth } from '../account/index.ts';
import { checkCreditCode } from './credit-code.ts';
import type { SharingService } from '../sharing/index.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import { companyErrors } from './company.errors.ts';
import * as repo from './company.repository.ts';

export const REGISTRY_PARTNER = 'company-registry';
export const BIND_LEVEL = 3;

export function createBinding(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sharing: SharingService;
  registry: CompanyRegistry;
}): {
  ensureRegistryPartner(): Promise<void>;
  bind(subjectId: string, creditCode: string, requestId: string): Promise<{ id: string; name: string }>;
} {
  const { db, audit, vault, sharing, registry } = deps;
  const system: Actor = { type: 'system', id: 'company-binding', label: 'system:company-binding' };

  const refuseBind = async (
    subjectId: string,
    code: string,
    detail: string | undefined,
    requestId: string,
  ) => {
    const err = new AppError(code, detail);
    await audit.append(db, {
      actor: { type: 'citizen', id: subjectId },
      action: 'company.bind_refused',
      subject: { type: 'person', id: subjectId },
      purpose: 'real-name-verification',
      clause: err.clause ?? null,
      detail: { code },
      requestId,
    });
    throw err;
  };

  return {
    async ensureRegistryPartner() {
      if ((await sharing.partners()).some((p) => p.slug === REGISTRY_PARTNER)) return;
      await sharing
        .registerPartner(
          {
            slug: REGISTRY_PARTNER,
            name: { 'zh-CN': '企业登记系统', en: 'Company registry', cs: 'Obchodní rejstřík' },
            kind: 'partner',
            agreementRef: 'REG-2026-001',
            region: 'CN',
            allowedCategories: ['id_document', 'business'],
            allowedPurposes: ['real-name-verification'],
          },
          { type: 'system', id: 'platform-start', label: 'system:platform-start' },
        )
        .catch((err: unknown) => {
          // Another process starting at the same moment registered it: the unique slug decides.
          if ((err as { code?: string }).code !== '23505') throw err;
        });
    },

    async bind(subjectId, rawCode, requestId) {
      const creditCode = foldWidth(rawCode).replace(/[\s-]/g, '').toUpperCase();
      const problem = checkCreditCode(creditCode);
      if (problem) throw new AppError(companyErrors.invalid_credit_code, problem);
      const level = await assuranceLevel(db, subjectId);
      if (level < BIND_LEVEL)
        return refuseBind(
          subjectId,
          companyErrors.level_too_low,
          `level L${level}, needs L${BIND_LEVEL}`,
          requestId,
        );
      if ((await vault.findSubject('company_registration', creditCode)).length > 0)
        throw new AppError(companyErrors.already_bound);
      // P5.1.4: the ID number leaves through the sharing rules (partner, purpose, basis, log).
      const shared = await sharing.share({
        subjectId,
        partner: REGISTRY_PARTNER,
        purpose: 'real-name-verification',
        fields: ['id_number'],
        basis: { type: 'necessity', service: 'company-binding' },
        by: system,
        requestId,
      });
      const idNumber = shared.values.id_number;
      if (!idNumber)
        return refuseBind(subjectId, companyErrors.level_too_low, 'no verified ID number', requestId);
      let answer;
      try {
        answer = await registry.checkRepresentative({ creditCode, idNumber });
      } catch (err) {
        if (err instanceof RegistryUnavailable) throw new AppError(companyErrors.registry_unavailable);
        throw err;
      }
      if (!answer) return refuseBind(subjectId, companyErrors.unknown_company, undefined, requestId);
      if (answer.status === 'revoked')
        return refuseBind(subjectId, companyErrors.company_revoked, undefined, requestId);
      if (!answer.representative)
        return refuseBind(subjectId, companyErrors.not_representative, undefined, requestId);
      const name = answer.name.slice(0, 200);
      const id = await db
        .tx(async (q) => {
          const orgId = await vault.createSubject('organisation', q);
          await vault.write(
            orgId,
            { company_registration: creditCode },
            { source: 'partner', purpose: 'service-provision', actor: system, requestId },
            q,
          );
          await repo.insertCompany(q, {
            id: orgId,
            name,
            status: answer.status,
            representativeId: subjectId,
          });
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'company.bound',
            subject: { type: 'organisation', id: orgId },
            purpose: 'real-name-verification',
            clause: 'P2.1',
            detail: { representative: subjectId, onBehalfOf: orgId, registry: REGISTRY_PARTNER },
            requestId,
          });
          return orgId;
        })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'vault.duplicate_value')
            throw new AppError(companyErrors.already_bound);
          throw err;
        });
      return { id, name };
    },
  };
}

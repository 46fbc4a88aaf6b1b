/**
 * The three verification partners as the privacy engine sees them: registered in the
 * partner registry (agreement, region, allowed categories, purpose), and called only with
 * what `sharing.share` releases for them (P5.1.4: basis necessity for an authorised
 * partner; the registry decides which fields each partner may receive).
 *
 *   partner              receives                                   categories
 *   population-registry  name, ID number                            identity, id_document
 *   face-match           captured image + opaque registry reference biometric
 *   bank-verify          name, ID number, card number, bank phone   identity, id_document, financial, contact
 *
 * The face partner never receives a name, ID number or profile: its registration allows
 * only biometric data, and the registry reference is an opaque single-use token.
 */
import type { BankVerify } from '../../adapters/bank-verify.ts';
import type { FaceMatch } from '../../adapters/face-match.ts';
import type { PopulationRegistry, RegistryAnswer } from '../../adapters/population-registry.ts';
import type { Partner, SharingService } from '../sharing/index.ts';
import type { Actor } from '../vault/index.ts';

export interface VerificationAdapters {
  registry: PopulationRegistry;
  face: FaceMatch;
  bank: BankVerify;
}

export const partnerSlugs = {
  registry: 'population-registry',
  face: 'face-match',
  bank: 'bank-verify',
} as const;

const PURPOSE = 'real-name-verification' as const;

export const verificationPartners: Omit<Partner, 'id' | 'region'>[] = [
  {
    slug: partnerSlugs.registry,
    name: { 'zh-CN': '公安人口信息库', en: 'Population registry', cs: 'Evidence obyvatel' },
    kind: 'partner',
    agreementRef: 'AGR-RNV-2026-001',
    allowedCategories: ['identity', 'id_document'],
    allowedPurposes: [PURPOSE],
  },
  {
    slug: partnerSlugs.face,
    name: {
      'zh-CN': '人脸识别服务商',
      en: 'Face-recognition partner',
      cs: 'Partner pro rozpoznání obličeje',
    },
    kind: 'service-provider',
    agreementRef: 'DPA-RNV-2026-002',
    allowedCategories: ['biometric'],
    allowedPurposes: [PURPOSE],
  },
  {
    slug: partnerSlugs.bank,
    name: { 'zh-CN': '银行卡信息核验机构', en: 'Bank card verification', cs: 'Ověření bankovní karty' },
    kind: 'partner',
    agreementRef: 'AGR-RNV-2026-003',
    allowedCategories: ['identity', 'id_document', 'financial', 'contact'],
    allowedPurposes: [PURPOSE],
  },
];

/** Registers the partners that are missing; running it again changes nothing. */
export async function seedPartners(sharing: SharingService, region: string): Promise<number> {
  const known = new Set((await sharing.partners()).map((p) => p.slug));
  let added = 0;
  for (const p of verificationPartners) {
    if (known.has(p.slug)) continue;
    await sharing
      .registerPartner({ ...p, region }, { type: 'system', id: 'verification-seed', label: 'system:seed' })
      .then(() => added++)
      .catch((err: unknown) => {
        // Another process seeding at the same moment: the unique slug decides.
        if ((err as { code?: string }).code !== '23505') throw err;
      });
  }
  return added;
}

/** Calls to the partners, each through `sharing.share` so the release is checked and recorded. */
export function createPartnerCalls(deps: { sharing: SharingService; adapters: VerificationAdapters }) {
  const { sharing, adapters } = deps;
  const share = (
    subjectId: string,
    partner: string,
    service: string,
    fields: ('name' | 'id_number')[],
    requestId: string,
    supplied?: Partial<Record<'face_image' | 'bank_account' | 'phone', string>>,
  ) =>
    sharing.share({
      subjectId,
      partner,
      purpose: PURPOSE,
      fields,
      ...(supplied ? { supplied } : {}),
      basis: { type: 'necessity', service },
      by: { type: 'self', id: subjectId, label: 'self' } satisfies Actor,
      requestId,
    });

  return {
    async registry(subjectId: string, service: string, requestId: string): Promise<RegistryAnswer> {
      const { values } = await share(
        subjectId,
        partnerSlugs.registry,
        service,
        ['name', 'id_number'],
        requestId,
      );
      return adapters.registry.verify({ name: values.name ?? '', idNumber: values.id_number ?? '' });
    },

    async face(
      subjectId: string,
      image: Buffer,
      reference: string,
      requestId: string,
      service = 'verification-l3',
    ) {
      const { values } = await share(subjectId, partnerSlugs.face, service, [], requestId, {
        face_image: image.toString('base64'),
      });
      const released = Buffer.from(values.face_image ?? '', 'base64');
      try {
        return await adapters.face.compare({ image: released, reference });
      } finally {
        released.fill(0); // P7.2 no copy of the capture outlives the call
      }
    },

    async bank(subjectId: string, card: { number: string; phone: string }, requestId: string) {
      const { values } = await share(
        subjectId,
        partnerSlugs.bank,
        'verification-l4',
        ['name', 'id_number'],
        requestId,
        {
          bank_account: card.number,
          phone: card.phone,
        },
      );
      return adapters.bank.check({
        name: values.name ?? '',
        idNumber: values.id_number ?? '',
        cardNumber: values.bank_account ?? '',
        phone: values.phone ?? '',
      });
    },
  };
}

/**
 * The privacy policy's pages (P9): the policy in effect, every version with its exact texts to
 * download, and the change a signed-in person is asked to acknowledge, with the consents it
 * asks again. Delivery only: the rules are the policy module's and the consent module's.
 *
 * Rules:
 * - A download is the published text byte for byte (text/plain, UTF-8), with its SHA-256 in
 *   `Repr-Digest` (RFC 9530), forever: published texts never change or go.
 * - Only a consent of the person's own that awaits an answer can be answered here; any other
 *   id answers as if it did not exist (no one learns whose consent an id is).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CatalogueService, RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import { counts, isActive, type ConsentService } from '../../../modules/consent/index.ts';
import { isLocale, locales, type Locale } from '../../../kernel/locale.ts';
import { clock } from '../../../kernel/clock.ts';
import { isPurpose, purposes } from '../../../modules/inventory/index.ts';
import {
  documentIds,
  parsePolicyText,
  type PolicyService,
  type PolicyVersions,
} from '../../../modules/policy/index.ts';
import type { SharingService } from '../../../modules/sharing/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { ChangesPage } from './changes.tsx';
import { PrivacyPage, VersionsPage } from './view.tsx';

const html = { 'content-type': 'text/html; charset=utf-8' };
const POLICY = documentIds.privacyPolicy;

export function registerPrivacyPages(
  app: FastifyInstance,
  deps: {
    policy: PolicyService;
    policyVersions: PolicyVersions;
    consent: ConsentService;
    catalogue: CatalogueService;
    registry?: RelyingPartyRegistry;
    sharing: Pick<SharingService, 'partners'>;
  },
) {
  app.get('/privacy', async (req, reply) => {
    const ctx = pageContext(req);
    const doc = await deps.policy.inEffect(POLICY, ctx.locale);
    const parsed = parsePolicyText(doc.text);
    // A published version that does not parse is a release bug, not bad input.
    if (!parsed.ok) throw new Error(`privacy policy ${doc.version} (${doc.language}): ${parsed.problem}`);
    const [departments, relyingParties, partners, versions] = await Promise.all([
      deps.catalogue.list(),
      deps.registry?.list() ?? Promise.resolve([]),
      deps.sharing.partners(),
      deps.policyVersions.list(),
    ]);
    return reply.headers(html).send(
      await renderPage(
        PrivacyPage({
          ctx,
          doc,
          text: parsed.text,
          facts: { departments, relyingParties, partners, versions },
        }),
      ),
    );
  });

  app.get('/privacy/versions', async (req, reply) => {
    const ctx = pageContext(req);
    const published = await deps.policy.list();
    const versions = (await deps.policyVersions.list())
      .filter((v) => v.state === 'scheduled')
      .map((record) => ({
        record,
        hashes: Object.fromEntries(
          published
            .filter((d) => d.documentId === POLICY && d.version === record.version)
            .sort((a, b) => locales.indexOf(a.language) - locales.indexOf(b.language))
            .map((d) => [d.language, d.textHash.toString('hex')]),
        ),
      }));
    return reply.headers(html).send(await renderPage(VersionsPage({ ctx, versions, now: clock.date() })));
  });

  app.get<{ Params: { version: string; file: string } }>(
    '/privacy/versions/:version/:file',
    async (req, reply) => {
      const language = /^(.+)\.txt$/.exec(req.params.file)?.[1];
      const doc =
        language && isLocale(language)
          ? await deps.policy.find({ documentId: POLICY, version: req.params.version, language })
          : undefined;
      if (!doc) {
        reply.code(404).type('text/plain; charset=utf-8');
        return 'No such version or language of the privacy policy.\n';
      }
      return reply
        .headers({
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `attachment; filename="civitas-privacy-policy-${doc.version}.${doc.language}.txt"`,
          'repr-digest': `sha-256=:${doc.textHash.toString('base64')}:`,
          'cache-control': 'public, max-age=86400, immutable',
        })
        .send(doc.text);
    },
  );

  const changesPage = async (req: FastifyRequest, done?: 'accepted' | 'agreed' | 'withdrawn') => {
    const ctx = pageContext(req);
    const subjectId = req.principal.citizen!.subjectId;
    const [pending, consents] = await Promise.all([
      deps.policyVersions.pending(subjectId),
      deps.consent.of(subjectId),
    ]);
    // Answered already: a later consent for the same thing counts (the old one stays as it was).
    const answered = (c: (typeof consents)[number]) =>
      consents.some(
        (n) =>
          counts(n) &&
          n.givenAt > c.givenAt &&
          n.kind === c.kind &&
          n.purpose === c.purpose &&
          n.recipientId === c.recipientId,
      );
    const awaiting = consents
      .filter((c) => isActive(c) && c.awaitingAnswer && !answered(c))
      .map((c) => ({
        id: c.id,
        purpose: isPurpose(c.purpose) ? purposes[c.purpose].label[ctx.locale] : c.purpose,
        recipient: c.recipientId ?? ctx.t('me.consents.platform'),
        serviceTerms: c.awaitingAnswer!.version.startsWith('service:'),
      }));
    return renderPage(ChangesPage({ ctx, pending, awaiting, done }));
  };

  app.get<{ Querystring: { done?: string } }>('/privacy/changes', async (req, reply) => {
    const d = req.query.done;
    return reply
      .headers(html)
      .send(await changesPage(req, d === 'accepted' || d === 'agreed' || d === 'withdrawn' ? d : undefined));
  });

  app.post('/privacy/changes/accept', async (req, reply) => {
    const subjectId = req.principal.citizen!.subjectId;
    const pending = await deps.policyVersions.pending(subjectId);
    if (pending) await deps.policyVersions.accept(subjectId, pending.version);
    return reply.redirect('/privacy/changes?done=accepted', 303);
  });

  app.post<{ Params: { id: string } }>('/privacy/changes/consents/:id', async (req, reply) => {
    const subjectId = req.principal.citizen!.subjectId;
    const answer = (req.body as Record<string, unknown> | undefined)?.['answer'];
    const c = (await deps.consent.of(subjectId)).find(
      (x) => x.id === req.params.id && isActive(x) && x.awaitingAnswer,
    );
    if (!c || (answer !== 'agree' && answer !== 'withdraw')) return reply.redirect('/privacy/changes', 303);
    const self = { type: 'self' as const, id: subjectId };
    if (answer === 'withdraw') {
      await deps.consent.withdraw(c.id, self, req.id);
      return reply.redirect('/privacy/changes?done=withdrawn', 303);
    }
    // Agreed again on the text it was first given on, now under the policy in effect: a new
    // consent, so its evidence names when and on what it was given; the old one stays as it was.
    const shown = await deps.consent.textShown(c.id);
    if (!shown.document || shown.text === null) return reply.redirect('/privacy/changes', 303);
    await deps.consent.give(
      {
        subjectId,
        kind: c.kind,
        purpose: c.purpose as keyof typeof purposes,
        categories: c.categories as Parameters<ConsentService['give']>[0]['categories'],
        ...(c.recipientType && c.recipientId
          ? { recipient: { type: c.recipientType as 'department' | 'partner', id: c.recipientId } }
          : {}),
        channel: 'portal',
        shown: {
          document: { ...shown.document, language: shown.document.language as Locale },
          text: shown.text,
        },
        explicitSeparate: c.sensitive,
        ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
      },
      self,
      req.id,
    );
    return reply.redirect('/privacy/changes?done=agreed', 303);
  });
}

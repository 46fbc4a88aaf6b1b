/**
 * What the home page shows a person from personalisation (P3.2.optional, P4; ADR 0047), read
 * only when the request's cookie choice consents to personalisation: a signed-in person's from
 * the personalisation module, an anonymous visitor's from the `recent` cookie.
 *
 * Rules:
 * - P3.2.optional no consent, nothing: `personalOf` answers undefined without reading
 *   anything, and the home page is the same for everyone.
 * - The `recent` cookie (`1.<recent>.<favourites>.<hall>`, slugs joined by `~`) is set only
 *   through the cookie registry, whose `set` refuses it without consent; a malformed value is
 *   treated as empty.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RECENT, type Personalisation, type ServiceHall } from '../../../modules/personal/index.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import type { FieldError } from '../../forms/errors.ts';

export interface PersonalView {
  /** Favourites first, then the recent ones (slugs). */
  favourites: string[];
  recent: string[];
  hall: ServiceHall | undefined;
  halls: ServiceHall[];
  errors?: FieldError[];
  /** What was chosen in the hall form, kept when it is shown again. */
  kept?: { city?: string };
}

interface Kept {
  recent: string[];
  favourites: string[];
  hall: string | undefined;
}

const SLUG = /^[a-z0-9-]{1,80}$/;
const MAX_FAVOURITES = 20;
const list = (v: string | undefined) => (v ? v.split('~').filter((s) => SLUG.test(s)) : []);

export function parseRecent(value: string | undefined): Kept {
  const m = value ? /^1\.([a-z0-9~-]{0,600})\.([a-z0-9~-]{0,1700})\.([a-z0-9-]{0,60})$/.exec(value) : null;
  if (!m) return { recent: [], favourites: [], hall: undefined };
  return {
    recent: list(m[1]).slice(0, RECENT),
    favourites: list(m[2]).slice(0, MAX_FAVOURITES),
    hall: m[3] || undefined,
  };
}

export const formatRecent = (k: Kept) =>
  `1.${k.recent.slice(0, RECENT).join('~')}.${k.favourites.slice(0, MAX_FAVOURITES).join('~')}.${k.hall ?? ''}`;

export const consents = (req: FastifyRequest) => req.cookieChoice?.personalisation === true;

export interface PersonalDeps {
  personal: Personalisation;
  http: HttpPolicy;
}

export async function personalOf(req: FastifyRequest, deps: PersonalDeps): Promise<PersonalView | undefined> {
  if (!consents(req)) return undefined;
  const halls = await deps.personal.halls();
  const subjectId = req.principal?.citizen?.subjectId;
  if (subjectId) {
    const mine = await deps.personal.of(subjectId);
    return {
      favourites: mine.services.filter((s) => s.favourite).map((s) => s.slug),
      recent: mine.services.filter((s) => !s.favourite).map((s) => s.slug),
      hall: mine.hall,
      halls,
    };
  }
  const k = parseRecent(deps.http.cookie('recent').read(req));
  return {
    favourites: k.favourites,
    recent: k.recent.filter((s) => !k.favourites.includes(s)),
    hall: halls.find((h) => h.slug === k.hall),
    halls,
  };
}

/** Changes what is kept for this request's visitor: the account's rows, or the cookie. */
export async function keep(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: PersonalDeps,
  change: {
    used?: string;
    favourite?: { slug: string; on: boolean };
    hall?: { slug: string; by: 'city' | 'location' };
  },
): Promise<void> {
  if (!consents(req)) return;
  const subjectId = req.principal?.citizen?.subjectId;
  if (subjectId) {
    if (change.used) await deps.personal.used(subjectId, change.used);
    if (change.favourite)
      await deps.personal.favourite(subjectId, change.favourite.slug, change.favourite.on);
    if (change.hall) await deps.personal.chooseHall(subjectId, change.hall.slug, change.hall.by);
    return;
  }
  const jar = deps.http.cookie('recent');
  const k = parseRecent(jar.read(req));
  if (change.used) k.recent = [change.used, ...k.recent.filter((s) => s !== change.used)];
  if (change.favourite) {
    const { slug, on } = change.favourite;
    k.favourites = on
      ? [slug, ...k.favourites.filter((s) => s !== slug)]
      : k.favourites.filter((s) => s !== slug);
  }
  if (change.hall) k.hall = change.hall.slug;
  // The registry's `set` is the check: refused (nothing set) without consent.
  jar.set(reply, formatRecent(k));
}

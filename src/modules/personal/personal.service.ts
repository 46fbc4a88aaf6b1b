/**
 * Personalisation of the home page (P4 "personalise (location)", P3.2.optional, P3.4;
 * ADR 0047): a signed-in person's recent and favourite services and the service hall they
 * chose, and the nearest-hall suggestion from a place they share.
 *
 * Rules:
 * - P3.2.optional the web layer calls this only for a request whose cookie choice consents to
 *   personalisation (for a signed-in person: their `personalisation-cookies` consent); this
 *   module trusts that, like the usage module.
 * - P8.5 withdrawing that consent (or `personalisation`) deletes what is kept, in the
 *   withdrawal's transaction (`forgetOnWithdrawal`, wired into the consent service).
 * - P2.2.1 a device location is rounded to whole degrees (again, whatever the browser sent)
 *   and used once to find the nearest hall; only the hall is kept, never the place.
 * - At most `RECENT` recent services that are not favourites are kept per person.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import * as repo from './personal.repository.ts';

export type ServiceHall = repo.HallRow;
export type PersonalService = repo.ServiceRow;

export const RECENT = 6;
/** Purposes whose withdrawal deletes what personalisation kept. */
export const personalisationPurposes: readonly string[] = ['personalisation-cookies', 'personalisation'];

export interface SharedPlace {
  city?: string;
  /** Degrees as the browser sent them; rounded here. */
  lat?: number;
  lon?: number;
}

export interface Personalisation {
  halls(): Promise<ServiceHall[]>;
  /** The hall for a city, or the nearest to a rounded location; undefined when none fits. */
  nearest(place: SharedPlace): Promise<{ hall: ServiceHall; by: 'city' | 'location' } | undefined>;
  of(subjectId: string): Promise<{ services: PersonalService[]; hall: ServiceHall | undefined }>;
  used(subjectId: string, slug: string): Promise<void>;
  favourite(subjectId: string, slug: string, on: boolean): Promise<void>;
  chooseHall(subjectId: string, hall: string, by: 'city' | 'location'): Promise<void>;
}

/** Whole degrees, as the sign-in's place (P2.2.1). */
export const roundPlace = (lat: number, lon: number) => ({ lat: Math.round(lat), lon: Math.round(lon) });

/** Great-circle distance in km between two points in degrees. */
function distance(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function nearestHall(all: readonly ServiceHall[], place: SharedPlace) {
  if (place.city) {
    const hall = all.find((h) => h.city === place.city);
    return hall ? { hall, by: 'city' as const } : undefined;
  }
  if (place.lat === undefined || place.lon === undefined) return undefined;
  const at = roundPlace(place.lat, place.lon);
  let best: ServiceHall | undefined;
  for (const h of all) if (!best || distance(at, h) < distance(at, best)) best = h;
  return best ? { hall: best, by: 'location' as const } : undefined;
}

/** For the consent service: deletes what personalisation kept when its consent is withdrawn. */
export const forgetOnWithdrawal = async (q: Queryable, w: { purpose: string; subjectId: string }) => {
  if (personalisationPurposes.includes(w.purpose)) await repo.forget(q, w.subjectId);
};

export function createPersonalisation(deps: { db: Database }): Personalisation {
  let cached: Promise<ServiceHall[]> | undefined;
  const halls = () =>
    (cached ??= repo.halls(deps.db).catch((err) => ((cached = undefined), Promise.reject(err))));
  return {
    halls,
    nearest: async (place) => nearestHall(await halls(), place),
    async of(subjectId) {
      const [services, hall, all] = await Promise.all([
        repo.servicesOf(deps.db, subjectId),
        repo.hallOf(deps.db, subjectId),
        halls(),
      ]);
      return { services, hall: all.find((h) => h.slug === hall) };
    },
    used: (subjectId, slug) => deps.db.tx((q) => repo.used(q, subjectId, slug, RECENT)),
    favourite: (subjectId, slug, on) => repo.setFavourite(deps.db, subjectId, slug, on),
    chooseHall: (subjectId, hall, by) => repo.chooseHall(deps.db, subjectId, hall, by),
  };
}

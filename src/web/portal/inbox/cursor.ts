/**
 * The inbox's paging cursor: the last entry shown (its time and id), so the next page starts
 * strictly after it even when two messages share a time. Opaque to the person; a cursor
 * that does not parse is the newest page, never an error.
 */
/** Messages per page, on the page and in its JSON twin. */
export const INBOX_PAGE_SIZE = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const cursorOf = (e: { at: Date; id: string }): string => `${e.at.toISOString()}_${e.id}`;

export function parseCursor(v: unknown): { at: Date; id: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const [iso, id] = v.split('_');
  if (!iso || !id || !UUID.test(id)) return undefined;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : { at, id };
}

/**
 * The choice of channels per kind as a form or the JSON twin sends it, and saving it so that
 * a refusal comes before anything is written (notify refuses a mandatory kind with no
 * channel before it writes; those kinds go first). Shared by the page and its JSON twin.
 */
import {
  channels,
  kinds as kindSpecs,
  type ChannelId,
  type Kind,
  type NotifyService,
} from '../../../modules/notify/index.ts';

export type Body = Record<string, string | string[] | undefined>;

const allKinds = Object.keys(kindSpecs) as Kind[];

/** What the form says for each kind (a checkbox group posts one value, several, or none). */
export function choicesOf(body: Body | undefined): Map<Kind, ChannelId[]> {
  const out = new Map<Kind, ChannelId[]>();
  for (const kind of allKinds) {
    const v = body?.[kind];
    const given = v === undefined ? [] : Array.isArray(v) ? v : [v];
    out.set(
      kind,
      channels.filter((c) => given.includes(c)),
    );
  }
  return out;
}

/** Saves every kind; mandatory kinds left empty first, so a refusal comes before any write. */
export async function saveChoices(
  notify: Pick<NotifyService, 'choose'>,
  subjectId: string,
  wanted: ReadonlyMap<Kind, readonly ChannelId[]>,
  locale: Parameters<NotifyService['choose']>[3],
): Promise<void> {
  const order = [...wanted.entries()].sort(
    ([a, ca], [b, cb]) =>
      Number(!(kindSpecs[a].mandatory && ca.length === 0)) -
      Number(!(kindSpecs[b].mandatory && cb.length === 0)),
  );
  for (const [kind, chosen] of order) await notify.choose(subjectId, kind, chosen, locale);
}

/**
 * The privacy policy's text format (ADR 0046): plain text, so the exact bytes a person read
 * are what is hashed, kept and downloaded, and any reader (a screen reader, a printer, a
 * lawyer's diff) reads it without Civitas.
 *
 *   # Title
 *   ## P1 | 1. Section title        one per top-level clause, in the source policy's order
 *   A paragraph (one line).         blank lines between paragraphs
 *   [[services]]                    where the live facts of that section are shown
 *
 * A version is valid only with every section, once, in order: a refusal names what is wrong.
 */
export const POLICY_SECTIONS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10'] as const;
export type PolicySection = (typeof POLICY_SECTIONS)[number];

/** The live facts a section may show, from the registries they describe. */
export const FACTS = ['services', 'cookies', 'purposes', 'partners', 'retention', 'versions'] as const;
export type Fact = (typeof FACTS)[number];

export type Block = { paragraph: string } | { fact: Fact };

export interface PolicyText {
  title: string;
  sections: { id: PolicySection; title: string; blocks: Block[] }[];
}

export type ParsedText = { ok: true; text: PolicyText } | { ok: false; problem: string };

export function parsePolicyText(body: string): ParsedText {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const title = /^# (.+)$/.exec(lines[first] ?? '')?.[1]?.trim();
  if (!title) return { ok: false, problem: 'the text must start with a "# Title" line' };
  const sections: PolicyText['sections'] = [];
  for (const [i, raw] of lines.entries()) {
    if (i <= first) continue;
    const line = raw.trim();
    if (line === '') continue;
    const heading = /^## (P\d+) \| (.+)$/.exec(line);
    if (heading) {
      const id = heading[1] as PolicySection;
      const expected = POLICY_SECTIONS[sections.length];
      if (id !== expected)
        return {
          ok: false,
          problem: `line ${i + 1}: section ${id} where ${expected ?? 'no more sections'} belongs`,
        };
      sections.push({ id, title: heading[2]!.trim(), blocks: [] });
      continue;
    }
    const current = sections.at(-1);
    if (!current) return { ok: false, problem: `line ${i + 1}: text before the first "## P1 | …" section` };
    if (line.startsWith('#'))
      return { ok: false, problem: `line ${i + 1}: a heading that is not "## P<n> | title"` };
    const fact = /^\[\[([a-z]+)\]\]$/.exec(line)?.[1];
    if (fact !== undefined) {
      if (!(FACTS as readonly string[]).includes(fact))
        return { ok: false, problem: `line ${i + 1}: no live fact called [[${fact}]] (${FACTS.join(', ')})` };
      current.blocks.push({ fact: fact as Fact });
    } else current.blocks.push({ paragraph: line });
  }
  if (sections.length !== POLICY_SECTIONS.length)
    return { ok: false, problem: `section ${POLICY_SECTIONS[sections.length]} is missing` };
  const empty = sections.find((s) => !s.blocks.some((b) => 'paragraph' in b));
  if (empty) return { ok: false, problem: `section ${empty.id} has no text` };
  return { ok: true, text: { title, sections } };
}

/** The clause IDs a section's text names, e.g. "(P2.1, P2.2.1)", for the traceability of the text itself. */
export const clausesNamed = (paragraph: string): string[] =>
  [...paragraph.matchAll(/\bP\d+(?:\.[0-9a-z]+)*\b/g)].map((m) => m[0]);

/**
 * Development and tests: a face-recognition partner applying the local face model of
 * partner-seed.ts, recording every request, and a server speaking the face-match protocol
 * (docs/adapters/face-match.md) over it. Never loaded in production.
 */
import type { FaceAnswer, FaceMatch, FaceQuery } from '../adapters/face-match.ts';
import { PartnerUnavailable } from '../adapters/partner-http.ts';
import { serveJson } from './partner-server.ts';

const faceOf = (image: Buffer) => /face:([a-z-]+)/.exec(image.toString('latin1'))?.[1];

export class LocalFaceMatch implements FaceMatch {
  /** Every request exactly as received (the JSON body's fields), for tests to inspect. */
  readonly received: Record<string, unknown>[] = [];
  down = false;

  /** `photo` resolves a reference to the registry photo (the local registry's `photo`). */
  constructor(private readonly photo: (reference: string) => Buffer | undefined) {}

  async compare(q: FaceQuery): Promise<FaceAnswer> {
    return this.answer({ image: q.image.toString('base64'), reference: q.reference });
  }

  /** Handles a request body as the partner receives it. */
  async answer(body: Record<string, unknown>): Promise<FaceAnswer> {
    this.received.push({ ...body });
    if (this.down) throw new PartnerUnavailable('face-match', 'local partner set down');
    const image = Buffer.from(String(body.image), 'base64');
    const registry = this.photo(String(body.reference));
    const live = image.toString('latin1').includes(';live');
    const same = registry !== undefined && faceOf(image) !== undefined && faceOf(image) === faceOf(registry);
    return { liveness: live ? 'pass' : 'fail', score: same ? 0.96 : 0.08 };
  }
}

/** A development server speaking the face-match protocol over a local implementation. */
export function serveFaceMatch(local: LocalFaceMatch, token: string, port = 0) {
  return serveJson(
    token,
    {
      '/v1/comparisons': async (b) => {
        if (typeof b.image !== 'string' || typeof b.reference !== 'string')
          return { status: 400, body: { error: 'malformed' } };
        return { status: 200, body: await local.answer(b) };
      },
    },
    port,
  );
}

/**
 * The face-recognition partner: compares a live capture with the registry photo behind an
 * opaque reference, and reports liveness and a similarity score (L3). It receives the
 * captured image and the reference only, never a name, ID number or profile (P5.1.4).
 * Protocol: docs/adapters/face-match.md. `HttpFaceMatch` speaks it; `LocalFaceMatch`
 * applies the local face model of partner-seed.ts and records every request.
 */
import { postJson, PartnerUnavailable, serveJson, type PartnerEndpoint } from './partner-http.ts';

export interface FaceQuery {
  /** The captured image, as taken. */
  image: Buffer;
  /** Opaque reference to the registry photo (from the population registry). */
  reference: string;
}

export interface FaceAnswer {
  liveness: 'pass' | 'fail';
  /** Similarity between 0 and 1; Civitas compares it with FACE_MATCH_THRESHOLD. */
  score: number;
}

export interface FaceMatch {
  compare(q: FaceQuery): Promise<FaceAnswer>;
}

export class HttpFaceMatch implements FaceMatch {
  constructor(private readonly ep: PartnerEndpoint) {}

  async compare(q: FaceQuery): Promise<FaceAnswer> {
    const body = await postJson('face-match', this.ep, 'v1/comparisons', {
      image: q.image.toString('base64'),
      reference: q.reference,
    });
    const { liveness, score } = body;
    if ((liveness !== 'pass' && liveness !== 'fail') || typeof score !== 'number' || score < 0 || score > 1)
      throw new PartnerUnavailable('face-match', 'malformed response');
    return { liveness, score };
  }
}

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

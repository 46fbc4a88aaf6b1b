/**
 * The face-recognition partner: compares a live capture with the registry photo behind an
 * opaque reference, and reports liveness and a similarity score (L3). It receives the
 * captured image and the reference only, never a name, ID number or profile (P5.1.4).
 * Protocol: docs/adapters/face-match.md. `HttpFaceMatch` speaks it; the development
 * fake with the local face model is src/dev/face-match.ts.
 */
import { postJson, PartnerUnavailable, type PartnerEndpoint } from './partner-http.ts';

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

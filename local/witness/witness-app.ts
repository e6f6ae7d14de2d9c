import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { cosign } from '../../domain/log/cosignature.ts';
import { verifyConsistency } from '../../domain/log/proof-checks.ts';
import {
  formatNote,
  type Note,
  NoteFormatError,
  parseNote,
  type SignMessage,
  signatureLine,
  verifyNote,
} from '../../domain/log/signed-note.ts';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.ts';
import type { VerifierKey } from '../../domain/log/verifier-key.ts';
import { parseAddCheckpoint, WitnessRequestError } from '../../domain/log/witness-request.ts';
import { bodySizeLimit } from '../../functions/api/body-size-limit.ts';
import { problemType } from '../../functions/api/problems.ts';
import type { CosignedCheckpoint, WitnessState } from './witness-state.ts';

/** An add-checkpoint body holds a checkpoint, at most 63 proof lines and a few signatures: a few KiB at most. */
export const MAX_WITNESS_BODY_BYTES = 64 * 1024;

/** The witness's own key: cosigns (cosignature/v1, type 0x04) under its name. */
export interface WitnessKey {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly sign: SignMessage;
}

export interface WitnessAppOptions {
  readonly state: WitnessState;
  /** The verifier keys (type 0x01) of the logs it watches; an origin may have more than one. */
  readonly logs: readonly VerifierKey[];
  readonly key: WitnessKey;
  readonly clock?: () => Date;
  /**
   * Where refusals of validly signed checkpoints are told (a fork, a rollback): tlog-witness lets a witness
   * keep them, since they may prove the log misbehaved.
   */
  readonly log?: (line: string) => void;
}

type Refusal = {
  readonly status: 400 | 403 | 404 | 422;
  readonly title: string;
  readonly detail: string;
};

function refusal(refused: Refusal): Response {
  const body = {
    type: problemType(`witness_${refused.title.toLowerCase().replaceAll(' ', '_')}`),
    title: refused.title,
    status: refused.status,
    detail: refused.detail,
  };
  return new Response(JSON.stringify(body), {
    status: refused.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, index) => byte === b[index]);

/** Strict UTF-8: a body with a byte sequence that is not UTF-8 is malformed, not "repaired" into U+FFFD. */
function decodeUtf8(bytes: ArrayBuffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The log's own signature lines among a note's: those of keys that verified, nothing from unknown signers. */
function logSignaturesOf(note: Note, verified: readonly VerifierKey[]) {
  return note.signatures.filter((signature) =>
    verified.some((key) => key.name === signature.name && sameBytes(key.keyId, signature.keyId)),
  );
}

/**
 * A C2SP tlog-witness for other organisations' logs, as a Hono app: `POST /add-checkpoint` cosigns a checkpoint
 * that extends the last one it cosigned for that log (or refuses it: a rollback with 409, a fork with 422), and
 * `GET /<hex SHA-256 of the origin>/checkpoint` serves the last one it cosigned, with the log's signature and
 * its own. Nothing but the checkpoint's signature authenticates a request, as the specification says.
 */
export function createWitnessApp(options: WitnessAppOptions): Hono {
  const clock = options.clock ?? (() => new Date());
  const say = options.log ?? (() => undefined);
  const logsByOrigin = new Map<string, VerifierKey[]>();
  for (const key of options.logs) {
    logsByOrigin.set(key.name, [...(logsByOrigin.get(key.name) ?? []), key]);
  }
  const originByHash = new Map([...logsByOrigin.keys()].map((origin) => [sha256Hex(origin), origin]));

  const app = new Hono();
  app.use(bodySizeLimit({ maxBytes: MAX_WITNESS_BODY_BYTES }));

  app.post('/add-checkpoint', async (c) => {
    const body = decodeUtf8(await c.req.arrayBuffer());
    if (body === undefined) {
      return refusal({ status: 400, title: 'Malformed request', detail: 'The body is not UTF-8 text.' });
    }
    let request: ReturnType<typeof parseAddCheckpoint>;
    let note: Note;
    let checkpoint: ReturnType<typeof parseCheckpoint>;
    try {
      request = parseAddCheckpoint(body);
      note = parseNote(request.checkpoint);
      checkpoint = parseCheckpoint(note.text);
    } catch (error) {
      if (error instanceof WitnessRequestError || error instanceof NoteFormatError) {
        return refusal({ status: 400, title: 'Malformed request', detail: error.message });
      }
      throw error;
    }
    const { origin, size, root } = checkpoint;
    const keys = logsByOrigin.get(origin);
    if (keys === undefined) {
      return refusal({
        status: 404,
        title: 'Unknown log',
        detail: `This witness does not watch the log ${origin}.`,
      });
    }
    const verification = verifyNote(note, keys);
    if (verification.failed.length > 0) {
      return refusal({
        status: 403,
        title: 'Bad signature',
        detail: `The signature of ${origin} on this checkpoint does not verify with the key this witness holds for it.`,
      });
    }
    if (verification.verified.length === 0) {
      return refusal({
        status: 403,
        title: 'Not signed by the log',
        detail: `The checkpoint carries no signature of ${origin} by a key this witness holds for it.`,
      });
    }
    if (request.oldSize > size) {
      return refusal({
        status: 400,
        title: 'Malformed request',
        detail: `The old size ${request.oldSize} is above the checkpoint's size ${size}.`,
      });
    }

    return options.state.decide(
      origin,
      async (held): Promise<{ next?: CosignedCheckpoint; answer: Response }> => {
        const heldSize = held?.size ?? 0;
        if (request.oldSize !== heldSize) {
          if (request.oldSize < heldSize) {
            say(
              `refused ${origin} at size ${size}: it claims old size ${request.oldSize}, but ${heldSize} was cosigned`,
            );
          }
          return {
            answer: new Response(`${heldSize}\n`, {
              status: 409,
              headers: { 'content-type': 'text/x.tlog.size' },
            }),
          };
        }
        const unprocessable = (detail: string) => {
          say(`refused ${origin} at size ${size} (root ${Buffer.from(root).toString('base64')}): ${detail}`);
          return { answer: refusal({ status: 422, title: 'Inconsistent checkpoint', detail }) };
        };
        if (size === 0 && !sameBytes(root, EMPTY_ROOT)) {
          return unprocessable('A checkpoint of size 0 must have the root hash of the empty tree.');
        }
        if (request.oldSize === 0 && request.proof.length > 0) {
          return unprocessable('From size 0 the consistency proof must be empty.');
        }
        if (held !== undefined && request.oldSize === size && !sameBytes(root, held.root)) {
          return unprocessable(
            `This witness cosigned size ${size} with another root hash: this checkpoint forks the log.`,
          );
        }
        if (
          held !== undefined &&
          request.oldSize > 0 &&
          request.oldSize < size &&
          !verifyConsistency(request.oldSize, size, request.proof, held.root, root)
        ) {
          return unprocessable(
            `The consistency proof from size ${request.oldSize} to ${size} does not hold: this checkpoint does not extend the one cosigned.`,
          );
        }
        if (held !== undefined && request.oldSize === size && request.proof.length > 0) {
          return unprocessable('Between equal sizes the consistency proof must be empty.');
        }
        const now = clock();
        // cosignature/v1 must not carry a zero timestamp; a clock that says 1970 is broken, not a reason to sign 0.
        const timestamp = Math.max(1, Math.floor(now.getTime() / 1000));
        const cosignature = await cosign(note.text, timestamp, options.key);
        const line = signatureLine(cosignature);
        return {
          next: {
            size,
            root,
            checkpoint: formatNote({
              text: note.text,
              signatures: [...logSignaturesOf(note, verification.verified), cosignature],
            }),
            cosignedAt: now.toISOString(),
          },
          answer: new Response(line, { status: 200, headers: TEXT }),
        };
      },
    );
  });

  app.get('/:originHash/checkpoint', (c) => {
    const origin = originByHash.get(c.req.param('originHash'));
    const held = origin === undefined ? undefined : options.state.latest(origin);
    if (held === undefined) {
      return refusal({
        status: 404,
        title: 'No checkpoint',
        detail:
          'This witness has cosigned no checkpoint of a log with that origin hash (lowercase hex SHA-256).',
      });
    }
    return new Response(held.checkpoint, { status: 200, headers: { ...TEXT, 'cache-control': 'no-cache' } });
  });

  app.notFound((c) =>
    refusal({
      status: 404,
      title: 'Not found',
      detail: `No such path on a witness: ${c.req.method} ${c.req.path}. It answers POST /add-checkpoint and GET /<origin hash>/checkpoint.`,
    }),
  );
  app.onError((error) => {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return new Response(
      JSON.stringify({
        type: problemType('internal'),
        title: 'Internal error',
        status: 500,
        detail: 'The witness failed; nothing was cosigned.',
      }),
      { status: 500, headers: { 'content-type': 'application/problem+json' } },
    );
  });
  return app;
}

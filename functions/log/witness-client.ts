import { parseNote, signatureLine, verifyNote } from '../../domain/log/signed-note.ts';
import { parseVerifierKey, SIGNATURE_TYPE, type VerifierKey } from '../../domain/log/verifier-key.ts';
import { formatAddCheckpoint, parseTreeSizeBody } from '../../domain/log/witness-request.ts';
import type { WitnessConfig, Witnesses } from './ports.ts';

/** How long one witness gets to answer one request: a witness that is down must not hold the log back. */
export const WITNESS_TIMEOUT_MS = 5_000;

/** The most of a witness's answer that is read: a few signature lines, nothing near a flood. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface WitnessClientOptions {
  /** Per request; WITNESS_TIMEOUT_MS unless told. */
  readonly timeoutMs?: number;
  /** The fetch to use; the global one unless told. */
  readonly fetch?: typeof fetch;
}

interface Witness {
  readonly key: VerifierKey;
  readonly endpoint: string;
  /** The size this witness last said it holds (its cosigned size, or the size its 409 named): where to prove from. */
  heldSize: number;
}

type Outcome = { readonly witness: string; readonly ok: boolean; readonly detail: string };

/** A witness's answer, read to at most MAX_ANSWER_BYTES; undefined when it is longer. */
async function readAnswer(response: Response): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** The problem detail of a refusal, when the witness gave one (ours does); a short excerpt of the text otherwise. */
function reasonIn(body: string): string {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail.slice(0, 300);
  } catch {
    // Not a problem document: its text, shortened.
  }
  const text = body.replaceAll(/\s+/g, ' ').trim().slice(0, 200);
  return text.length > 0 ? text : 'no reason given';
}

/** The lines of a 200 answer that are valid cosignatures of this checkpoint by this witness's key. */
function verifiedCosignatures(checkpoint: string, answer: string, key: VerifierKey): string[] {
  const text = parseNote(checkpoint).text;
  const lines = answer.split('\n').slice(0, -1);
  if (!answer.endsWith('\n') || lines.length === 0) return [];
  const kept: string[] = [];
  for (const line of lines) {
    try {
      // One line at a time, on the log's note text alone: only this witness's own, valid lines are kept.
      const alone = parseNote(`${text}\n${line}\n`);
      if (verifyNote(alone, [key]).verified.length === 1) {
        kept.push(signatureLine(alone.signatures[0]!));
      }
    } catch {
      // A line that is not a signature line: ignored, as lines from unknown keys are.
    }
  }
  return kept;
}

function failureOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return `unreachable${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The `Witnesses` port over HTTP (C2SP tlog-witness `add-checkpoint`), for the witnesses in LOG_WITNESSES. Each
 * is asked in parallel with the size it last said it holds (0 at first; nothing is kept between processes, the
 * witness's 409 says where it is); on a 409 the request is sent once more with the proof from the size it
 * names. What comes back is kept only when it verifies with that witness's verifier key. Redirects are not
 * followed (a witness's URL is configured, not discovered); every failure is an outcome in plain words, never a
 * throw.
 *
 * @throws {Error} at construction, for a verifier key that is not a witness's (type 0x04) or a URL that is not
 *   http(s): a misconfiguration to fix, not a witness failure.
 */
export function httpWitnesses(
  configs: readonly WitnessConfig[],
  options: WitnessClientOptions = {},
): Witnesses {
  const timeoutMs = options.timeoutMs ?? WITNESS_TIMEOUT_MS;
  const fetchOf = options.fetch ?? fetch;
  const witnesses: Witness[] = configs.map((config) => {
    const key = parseVerifierKey(config.verifierKey);
    if (key.type !== SIGNATURE_TYPE.cosignatureV1) {
      throw new Error(`the witness key ${config.verifierKey} is not a cosignature/v1 key (type 0x04)`);
    }
    const url = new URL(config.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`the witness URL ${config.url} is not http(s)`);
    }
    return { key, endpoint: `${config.url.replace(/\/+$/, '')}/add-checkpoint`, heldSize: 0 };
  });

  async function submit(
    witness: Witness,
    request: Parameters<Witnesses['gather']>[0],
  ): Promise<{ outcome: Outcome; cosignatures: string[] }> {
    const name = witness.key.name;
    const fail = (detail: string) => ({ outcome: { witness: name, ok: false, detail }, cosignatures: [] });
    // A second try after a 409 at most: a witness that keeps moving is answered next checkpoint.
    for (let attempt = 0; attempt < 2; attempt++) {
      const oldSize = witness.heldSize;
      if (oldSize > request.size) {
        return fail(
          `it holds size ${oldSize}, above this checkpoint's ${request.size}: it has cosigned a larger tree of this log than the log now shows`,
        );
      }
      let body: string;
      try {
        const proof = oldSize === 0 || oldSize === request.size ? [] : await request.proofFrom(oldSize);
        body = formatAddCheckpoint({ oldSize, proof, checkpoint: request.checkpoint });
      } catch (error) {
        return fail(`no consistency proof from size ${oldSize}: ${(error as Error).message}`);
      }
      let response: Response;
      let answer: string | undefined;
      try {
        response = await fetchOf(witness.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        answer = await readAnswer(response);
      } catch (error) {
        return fail(failureOf(error, timeoutMs));
      }
      if (answer === undefined)
        return fail(`answered ${response.status} with more than ${MAX_ANSWER_BYTES} bytes`);
      if (response.status === 200) {
        const cosignatures = verifiedCosignatures(request.checkpoint, answer, witness.key);
        if (cosignatures.length === 0) {
          return fail('answered 200 without a cosignature that verifies with its key');
        }
        witness.heldSize = request.size;
        return {
          outcome: { witness: name, ok: true, detail: `cosigned size ${request.size}` },
          cosignatures,
        };
      }
      if (response.status === 409) {
        try {
          witness.heldSize = parseTreeSizeBody(answer);
        } catch {
          return fail('answered 409 without the size it holds');
        }
        continue;
      }
      if (response.status >= 300 && response.status < 400) {
        return fail(
          `answered ${response.status}, a redirect (not followed: the witness's URL is the one configured)`,
        );
      }
      const meaning: Record<number, string> = {
        400: 'refused the request as malformed',
        403: "refused the checkpoint's signature (does it hold the log's current key?)",
        404: 'does not watch this log',
        422: 'refused the checkpoint as inconsistent with the one it cosigned (a fork?)',
      };
      return fail(`${meaning[response.status] ?? `answered ${response.status}`}: ${reasonIn(answer)}`);
    }
    return fail(
      `still answers 409 (it now holds size ${witness.heldSize}); tried again with the next checkpoint`,
    );
  }

  return {
    async gather(request) {
      const results = await Promise.all(witnesses.map((witness) => submit(witness, request)));
      return {
        cosignatures: results.flatMap((result) => result.cosignatures),
        outcomes: results.map((result) => result.outcome),
      };
    },
  };
}

import type { NewEvent } from '../../domain/event-catalogue.ts';
import { LocalError } from '../local-error.ts';

/** Sends a request to the API: over HTTP to the local runtime, or in process (`app.request`) in tests. */
export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

/** An answer the benchmark did not expect: it counts as an error of the operation. */
export class UnexpectedAnswerError extends LocalError {
  readonly code = 'unexpected_answer';
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

export interface BenchApiOptions {
  /** Told of every acknowledged append, so the benchmark knows which versions the views must come to show. */
  readonly onAppended?: (caseId: string, version: number) => void;
}

/**
 * The API as the benchmark calls it: with one bearer token (recorder, viewer and auditor), reading every
 * answer to its end, as a client must before it can use it.
 */
export class BenchApi {
  readonly #fetch: Fetcher;
  readonly #authorization: string;
  readonly #options: BenchApiOptions;

  constructor(fetcher: Fetcher, token: string, options: BenchApiOptions = {}) {
    this.#fetch = fetcher;
    this.#authorization = `Bearer ${token}`;
    this.#options = options;
  }

  async #call(method: string, path: string, expected: number, body?: unknown): Promise<unknown> {
    const response = await this.#fetch(path, {
      method,
      headers: {
        authorization: this.#authorization,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expected) throw new UnexpectedAnswerError(method, path, response.status, text);
    return JSON.parse(text) as unknown;
  }

  /** `POST /cases/{id}/events`; the new version. */
  async append(caseId: string, events: readonly NewEvent[]): Promise<number> {
    const answer = (await this.#call('POST', `/cases/${encodeURIComponent(caseId)}/events`, 201, {
      events,
    })) as { version: number };
    this.#options.onAppended?.(caseId, answer.version);
    return answer.version;
  }

  /** `GET /cases/{id}`. */
  async caseView(caseId: string): Promise<{ version: number }> {
    return (await this.#call('GET', `/cases/${encodeURIComponent(caseId)}`, 200)) as { version: number };
  }

  /** A `GET` of any path that must answer 200, read to its end: for the questions the scale family times. */
  read(path: string): Promise<unknown> {
    return this.#call('GET', path, 200);
  }

  /** `POST /ledger/digest`: takes a digest now. */
  takeDigest(): Promise<unknown> {
    return this.#call('POST', '/ledger/digest', 201);
  }

  /** `GET /cases/{id}/events?limit=`: one page of the history. */
  async history(caseId: string, limit: number): Promise<{ events: unknown[] }> {
    return (await this.#call('GET', `/cases/${encodeURIComponent(caseId)}/events?limit=${limit}`, 200)) as {
      events: unknown[];
    };
  }
}

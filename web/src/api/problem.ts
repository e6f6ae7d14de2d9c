import type { components } from './ledger-api.d.ts';

export type Problem = components['schemas']['Problem'];

/**
 * An answer the API refused, carried as an error so TanStack Query can hold it: screens show its `detail`
 * (the API's own words) and put `errors` at the fields they name.
 */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers?: Headers,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** The messages of the field errors under `path` (e.g. `events.0.data.by`), as the API wrote them. */
  fieldMessages(path: string): string[] {
    return (this.problem.errors ?? [])
      .filter((error) => error.path === path || error.path.startsWith(`${path}.`))
      .map((error) => error.message);
  }
}

/** The server could not be reached at all: offline, or the runtime is down. */
export class UnreachableError extends Error {
  constructor(options?: ErrorOptions) {
    super('The ledger could not be reached', options);
    this.name = 'UnreachableError';
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).status === 'number' &&
    typeof (value as Problem).title === 'string'
  );
}

/**
 * The data of an openapi-fetch answer, or the answer's problem thrown as a `ProblemError`. Every screen reads
 * the API through this, so a refusal is never mistaken for data.
 *
 * @example
 * const view = await dataOf(api.GET('/cases/{caseId}', { params: { path: { caseId } } }));
 */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: Awaited<typeof call>;
  try {
    answer = await call;
  } catch (cause) {
    throw new UnreachableError({ cause });
  }
  const { data, error, response } = answer;
  if (error !== undefined || !response.ok) {
    throw new ProblemError(
      isProblem(error)
        ? error
        : { type: 'about:blank', title: response.statusText, status: response.status, detail: '' },
      response.headers,
    );
  }
  return data as T;
}

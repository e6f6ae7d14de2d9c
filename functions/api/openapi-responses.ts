import { problemSchema } from './problems.ts';

const descriptions: Record<number, string> = {
  400: 'Invalid request: malformed JSON, a field that fails validation (see `errors`), a bad cursor',
  404: 'No such case',
  409: 'The case exists already, or an event id is in use with other content',
  412: 'The case has moved on from the version given in If-Match',
  413: 'The body is over 1 MiB',
  415: 'The body is not JSON',
  422: 'Well-formed events that break a rule of the ledger (e.g. retracting an event of another case)',
  503: 'The ledger is busy or cannot be reached; retry',
};

/** The OpenAPI entries of the problems a route can answer with, all `application/problem+json`. */
export function problemResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  ) as {
    [K in S[number]]: {
      description: string;
      content: { 'application/problem+json': { schema: typeof problemSchema } };
    };
  };
}

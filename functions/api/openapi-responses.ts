import { problemSchema } from './problems.ts';

const descriptions: Record<number, string> = {
  400: 'Invalid request: malformed JSON, a field that fails validation (see `errors`), a bad cursor',
  401: 'No valid bearer token came with the request',
  403: 'The token is valid, but its roles (or scope) do not allow this',
  404: 'No such case (on the digest and proof routes: no such digest, or the case is not in it)',
  409: 'The case exists already or was erased, or an event id is in use with other content',
  412: 'The case has moved on from the version given in If-Match',
  413: 'The body is over 1 MiB',
  415: 'The body is not JSON',
  422: 'Well-formed events that break a rule of the ledger (e.g. retracting an event of another case)',
  503: 'The ledger is busy or cannot be reached; retry after the seconds in Retry-After',
};

type HeaderDeclarations = Record<string, { description: string; schema: object }>;

/** The headers that come with some problems, so that a client knows what to do next. */
const problemHeaders: Record<number, HeaderDeclarations> = {
  401: {
    'WWW-Authenticate': {
      description: 'The scheme to authenticate with: `Bearer`',
      schema: { type: 'string' },
    },
  },
  503: {
    'Retry-After': {
      description: 'Seconds to wait before retrying',
      schema: { type: 'integer', minimum: 0 },
    },
  },
};

interface ProblemResponse {
  description: string;
  headers?: HeaderDeclarations;
  content: { 'application/problem+json': { schema: typeof problemSchema } };
}

/** The OpenAPI entries of the problems a route can answer with, all `application/problem+json`. */
export function problemResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Problem',
        ...(problemHeaders[status] && { headers: problemHeaders[status] }),
        content: { 'application/problem+json': { schema: problemSchema } },
      } satisfies ProblemResponse,
    ]),
  ) as { [K in S[number]]: ProblemResponse };
}

/** Response headers of the answers that carry a case's version, as the OpenAPI document declares them. */
export const answerHeaders: Record<'etag' | 'location' | 'replayed', HeaderDeclarations> = {
  etag: {
    ETag: {
      description:
        'The version of the case, quoted: send it as If-Match to append only to this version, or as ' +
        'If-None-Match to read the view only if it changed',
      schema: { type: 'string' },
    },
  },
  location: {
    Location: { description: 'The path of the new case', schema: { type: 'string' } },
  },
  replayed: {
    'Idempotent-Replayed': {
      description: '`true` when a retry returned the first result and stored nothing',
      schema: { type: 'string', enum: ['true'] },
    },
  },
};

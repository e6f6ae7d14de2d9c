import { type PROBLEMS, type ProblemCode, type ProblemHeader, problemEntry } from './problem-table.ts';
import { problemSchema } from './problems.ts';

type HeaderDeclarations = Record<string, { description: string; schema: object }>;

/** The headers that come with some problems, so that a client knows what to do next. */
const problemHeaders: Record<ProblemHeader, HeaderDeclarations> = {
  'www-authenticate': {
    'WWW-Authenticate': {
      description: 'The scheme to authenticate with: `Bearer`',
      schema: { type: 'string' },
    },
  },
  'retry-after': {
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

/** The clauses of codes that share a status as one sentence, with the advice on retrying said once. */
function describe(codes: readonly ProblemCode[], retryAfter: boolean): string {
  const said = codes.map((code) => problemEntry(code).description).join(', or ');
  const sentence = `${said.charAt(0).toUpperCase()}${said.slice(1)}`;
  return retryAfter ? `${sentence}; retry after the seconds in Retry-After` : sentence;
}

/** The statuses of some problem codes. */
type StatusOf<C extends ProblemCode> = (typeof PROBLEMS)[C]['status'];

/**
 * The OpenAPI entries of the problems a route can answer with, all `application/problem+json`, from the
 * codes it names: each status is described by what its codes say, and declares the headers they carry.
 */
export function problemResponses<const C extends readonly ProblemCode[]>(...codes: C) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const { status } = problemEntry(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, shared]) => {
      const headers = Object.assign(
        {},
        ...shared
          .flatMap((code) => Object.keys(problemEntry(code).headers ?? {}) as ProblemHeader[])
          .map((name) => problemHeaders[name]),
      ) as HeaderDeclarations;
      return [
        status,
        {
          description: describe(shared, 'Retry-After' in headers),
          ...(Object.keys(headers).length > 0 && { headers }),
          content: { 'application/problem+json': { schema: problemSchema } },
        } satisfies ProblemResponse,
      ];
    }),
  ) as { [K in StatusOf<C[number]>]: ProblemResponse };
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

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import { shownEventSchema } from '../event-answer-schemas.ts';
import { problemResponses } from '../openapi-responses.ts';
import { auditQuery } from '../request-schemas.ts';

/** The longest range one audit query may span: each day that holds events is one query per shard. */
export const MAX_AUDIT_DAYS = 366;

const auditRoute = createRoute(
  guarded({
    method: 'get',
    path: '/audit',
    operationId: 'listAuditEvents',
    summary: 'Every event recorded in a time range, across all cases, in recorded order, a page at a time',
    description:
      'Ordered by `recordedAt` (the moment the API recorded the append, to the millisecond), then case id, then ' +
      'version; the events of one append share their `recordedAt`. Served by the ledger index `byRecordedAt`, ' +
      'which is eventually consistent: an event shows there a moment after its append returns, so a range ending ' +
      'in the last few seconds may still grow. At most 366 days per query. Without `to` the range ends at the ' +
      'moment of the first page, and `nextCursor` keeps that end for the pages after it.',
    request: { query: auditQuery },
    responses: {
      200: {
        description: 'A page of events',
        content: {
          'application/json': {
            schema: z
              .object({ events: z.array(shownEventSchema), nextCursor: z.string().optional() })
              .meta({ id: 'AuditPage' }),
          },
        },
      },
      ...problemResponses(400, 503),
    },
  }),
);

/**
 * What an audit cursor carries: where to continue, and the end of the range as the first page resolved it, so
 * a feed asked without `to` keeps the bound of its first page ("now" then) on every later page.
 */
const auditResumeSchema = z.strictObject({ to: z.iso.datetime(), after: z.string().min(1) });

function resumeOf(decoded: string | number): z.output<typeof auditResumeSchema> {
  let parsed: unknown;
  try {
    parsed = typeof decoded === 'string' ? JSON.parse(decoded) : undefined;
  } catch {
    parsed = undefined;
  }
  const resume = auditResumeSchema.safeParse(parsed);
  if (!resume.success) {
    throw new ValidationError([
      { path: 'cursor', message: 'is from an older version: list again from the first page' },
    ]);
  }
  return resume.data;
}

export function registerAuditRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(auditRoute, async (c) => {
    const { from, to: sentTo, limit, cursor } = c.req.valid('query');
    // The cursor belongs to the query as the caller sent it; a `to` left out is resolved once, on the first page.
    const query = JSON.stringify(['audit', from.toISOString(), sentTo?.toISOString() ?? null]);
    const resume = cursor === undefined ? undefined : resumeOf(deps.cursors.decode(cursor, query));
    const to = resume ? new Date(resume.to) : (sentTo ?? deps.clock());
    if (to.getTime() < from.getTime()) {
      throw new ValidationError([{ path: 'to', message: 'must not be before from' }]);
    }
    if (to.getTime() - from.getTime() > MAX_AUDIT_DAYS * 86_400_000) {
      throw new ValidationError([{ path: 'to', message: `at most ${MAX_AUDIT_DAYS} days after from` }]);
    }
    const page = await deps.audit.page({ from, to, limit, ...(resume && { after: resume.after }) });
    return c.json(
      {
        events: await eventsFor(c.get('principal'), page.events, deps.subjects),
        ...(page.continueAfter !== undefined && {
          nextCursor: deps.cursors.encode(
            query,
            JSON.stringify({ to: to.toISOString(), after: page.continueAfter }),
          ),
        }),
      },
      200,
    );
  });
}

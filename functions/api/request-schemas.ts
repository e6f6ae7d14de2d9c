import { z } from '@hono/zod-openapi';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { caseStatuses } from '../../domain/case-status.ts';
import {
  eventIdSchema,
  identifierSchema,
  nameText,
  newEventSchema,
  sourceSchema,
  subjectSchema,
  text,
} from '../../domain/event-catalogue.ts';
import { occurredAtSchema, parseQueryMoment, parseQueryStart } from '../../domain/occurred-at.ts';
import { days } from '../config.ts';
import { listOrders } from '../store/view-query-plan.ts';
import type { ListFilter, ListFilterField } from '../tables/view-keys.ts';

/** The schemas of what callers send that are the API's own: bodies, queries, parameters and headers. */

export const caseIdParams = z.object({
  caseId: identifierSchema.meta({ param: { name: 'caseId', in: 'path' }, example: 'case-0001' }),
});

/** A moment for `asOf`/`knownAt`: a day, month or year (its last moment) or an instant with time zone. */
const moment = momentSchema(parseQueryMoment);

/** The lower end of a range: a day, month or year from its first moment, or an instant. */
const startMoment = momentSchema(parseQueryStart);

function momentSchema(parse: (text: string) => Date | undefined) {
  return z
    .string()
    .max(64)
    .transform((value, context) => {
      const parsed = parse(value);
      if (parsed === undefined) {
        context.addIssue({
          code: 'custom',
          message: 'a day (2025-06-30), month, year or instant (2025-06-30T10:00:00Z)',
        });
        return z.NEVER;
      }
      return parsed;
    });
}

export const caseViewQuery = z.object({
  asOf: moment
    .optional()
    .meta({ description: 'What was true at this moment (valid time)', example: '2025-09-01' }),
  knownAt: moment.optional().meta({
    description: 'What the ledger knew at this moment (transaction time)',
    example: '2026-02-02',
  }),
});

export const caseViewHeaders = z.object({
  'if-none-match': z.string().optional().meta({
    description: 'The ETag of the view already held: 304 if it is still the current one',
    example: '"3"',
  }),
});

const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).meta({ example: fallback });
const cursor = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .meta({ description: 'From `nextCursor` of the previous page' });

/** One query parameter per list filter of the views' keys: a filter added there is demanded here. */
const listFilterParameters = {
  status: z.enum(caseStatuses).optional(),
  groupId: identifierSchema.optional(),
  facility: text(300)
    .optional()
    .meta({ description: 'The facility holding the person now, exactly as recorded' }),
  nationality: text(100).optional().meta({ description: 'Exactly as recorded on the subject' }),
} satisfies { [Field in ListFilterField]: z.ZodOptional<z.ZodType<ListFilter[Field] & string>> };

export const listFilters = z.object({
  ...listFilterParameters,
  sort: z.enum(listOrders).default('caseId').meta({
    description: '`custodyUntil`: the soonest end of a custody term first; cases without a term come last',
  }),
});

export const listCasesQuery = listFilters.extend({
  limit: limit(100, 50),
  cursor,
});

/** `shown`: personal data as the caller may see it. `stored`: exactly as the ledger holds it, to recompute hashes. */
export const historyForms = ['shown', 'stored'] as const;
export type HistoryForm = (typeof historyForms)[number];

export const caseEventsQuery = z.object({
  knownAt: caseViewQuery.shape.knownAt,
  limit: limit(1000, 100),
  cursor,
  form: z
    .enum(historyForms)
    .default('shown')
    .meta({
      description:
        'shown: the subject and the free texts opened for callers with the pii scope, a pseudonym and [sealed] ' +
        'for others; stored: the events byte for byte as the ledger holds them (subject and free texts sealed), ' +
        'from which every hash can be recomputed',
    }),
});

export const appendHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^"\d{1,15}(-(clear|erased|unreadable))?"$/, 'a quoted version, as in the ETag: "3"')
    .optional()
    .meta({
      description:
        'Append only if the case is at this version (412 otherwise): the ETag of the case, "3" or "3-clear"',
      example: '"3"',
    }),
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, '1-200 visible ASCII characters')
    .optional()
    .meta({
      description: 'Makes events without an eventId idempotent: a retry with the same key stores nothing',
    }),
});

export const appendBody = z
  .strictObject({ events: z.array(newEventSchema).min(1, 'at least one event').max(MAX_EVENTS_PER_APPEND) })
  .meta({ id: 'AppendRequest' });

export const openCaseBody = z
  .strictObject({
    caseId: identifierSchema.optional(),
    subject: subjectSchema,
    groupId: identifierSchema.optional(),
    labels: z.array(nameText(50)).max(20).optional(),
    eventId: eventIdSchema.optional().meta({ description: 'The id of the CaseOpened event' }),
    occurredAt: occurredAtSchema.optional().meta({ description: 'When the case was opened; now by default' }),
    sources: z.array(sourceSchema).min(1).max(20).optional(),
    note: text(4000).optional(),
    events: z
      .array(newEventSchema)
      .max(MAX_EVENTS_PER_APPEND - 1)
      .optional()
      .meta({ description: 'Events to record with the opening, in the same transaction' }),
  })
  .meta({ id: 'OpenCaseRequest' });

export const summaryQuery = z.object({
  groupId: identifierSchema.optional(),
  asOf: caseViewQuery.shape.asOf,
  knownAt: caseViewQuery.shape.knownAt,
});

/** A calendar day, `YYYY-MM-DD`, that exists. */
const day = z.iso.date('a day that exists, YYYY-MM-DD');

export const summarySeriesQuery = z.object({
  groupId: identifierSchema.optional(),
  from: day.optional().meta({
    description: 'The first day counted; by default the first day any counted case was in custody',
    example: '2025-07-01',
  }),
  to: day.optional().meta({ description: 'The last day counted; today by default', example: '2025-12-31' }),
});

export const groupIdParams = z.object({
  groupId: identifierSchema.meta({ param: { name: 'groupId', in: 'path' }, example: 'baku-2025' }),
});

/** The most cases one request may record for. */
export const MAX_CASES_PER_GROUP_APPEND = 100;

export const groupAppendHeaders = z.object({
  'idempotency-key': appendHeaders.shape['idempotency-key'].unwrap().meta({
    description:
      "Required: each case's event ids are derived from it, so a retry of the whole request records nothing twice",
  }),
});

export const groupAppendBody = z
  .strictObject({
    caseIds: z
      .array(identifierSchema)
      .min(1, 'at least one case')
      .max(MAX_CASES_PER_GROUP_APPEND)
      .refine((ids) => new Set(ids).size === ids.length, 'each case once')
      .meta({ description: 'The cases of the group to record for; each gets its own copy of the events' }),
    events: z
      .array(
        newEventSchema.refine((event) => event.eventId === undefined, {
          message: "not taken here: each case's event ids are derived from the Idempotency-Key",
          path: ['eventId'],
        }),
      )
      .min(1, 'at least one event')
      .max(MAX_EVENTS_PER_APPEND),
  })
  .meta({ id: 'GroupAppendRequest' });

export const alertsQuery = z.object({
  groupId: identifierSchema.optional(),
  asOf: caseViewQuery.shape.asOf,
  consularVisitDays: days(1).optional().meta({ description: 'Overrides ALERT_CONSULAR_VISIT_DAYS' }),
  custodyExpiringDays: days(0).optional().meta({ description: 'Overrides ALERT_CUSTODY_EXPIRING_DAYS' }),
  noNewsDays: days(1).optional().meta({ description: 'Overrides ALERT_NO_NEWS_DAYS' }),
});

export const digestQuery = z.object({
  sequence: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'A stored digest; the newest by default' }),
});

export const proofQuery = z.object({
  digest: z.coerce.number().int().min(1).meta({ description: 'The sequence number of a stored digest' }),
});

export const auditQuery = z.object({
  from: startMoment.meta({
    description: 'Recorded at or after: an instant, or a day, month or year from its start',
    example: '2025-07-01',
  }),
  to: moment.optional().meta({
    description: 'Recorded at or before: an instant, or a day, month or year to its end; now by default',
    example: '2025-07-31',
  }),
  limit: limit(1000, 100),
  cursor,
});

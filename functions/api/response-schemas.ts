import { z } from '@hono/zod-openapi';
import { alertKinds } from '../../domain/alerts.ts';
import { caseStatuses } from '../../domain/case-status.ts';
import { caseViewSchema } from '../../domain/case-view.ts';
import { MAX_SERIES_DAYS } from '../../domain/summary-series.ts';
import { shownEventSchema, shownSubjectSchema } from './event-answer-schemas.ts';
import { problemSchema } from './problems.ts';

/** The schemas of the API's own answers; those of events and views come from `domain/` and `event-answer-schemas.ts`. */

export const appendResultSchema = z
  .object({ caseId: z.string(), version: z.int(), events: z.array(shownEventSchema) })
  .meta({ id: 'AppendResult' });

/** `GET /cases/{caseId}`: the view, and who the case is about as the caller may see them. */
export const caseAnswerSchema = caseViewSchema
  .extend({
    subject: shownSubjectSchema.meta({
      description:
        'From the case’s opening: a pseudonym and the nationality without the pii scope; with it (or as admin) ' +
        'the subject in clear, the name `[erased]` once the case is erased',
    }),
  })
  .meta({ id: 'CaseAnswer' });

export const summarySchema = z
  .object({
    total: z.int().meta({ description: 'Cases with a status at the moment' }),
    byStatus: z.record(z.enum(caseStatuses), z.int()),
    byFacility: z.record(z.string(), z.int()).meta({ description: 'People held at the moment, by facility' }),
    heldAtUnknownFacility: z
      .int()
      .meta({ description: 'People held at the moment at a facility not recorded' }),
    byNationality: z.record(z.string(), z.int()),
    asOf: z.string().meta({ description: 'The moment counted (ISO instant)' }),
    knownAt: z.string().optional().meta({ description: 'Present when the ledger was folded as known then' }),
  })
  .meta({ id: 'Summary' });

export const summarySeriesSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    statuses: z.array(z.enum(caseStatuses)).meta({ description: 'Every status, in the order to stack them' }),
    days: z
      .array(
        z.object({
          day: z.iso.date(),
          byStatus: z.record(z.enum(caseStatuses), z.int()),
          held: z.int().meta({ description: 'People in custody: detained, under house arrest or sentenced' }),
        }),
      )
      .max(MAX_SERIES_DAYS)
      .meta({ description: 'Every day from `from` to `to`, each counted as at the end of that day (UTC)' }),
  })
  .meta({ id: 'SummarySeries' });

export const groupAppendOutcomes = ['recorded', 'replayed', 'refused'] as const;

export const groupAppendResultSchema = z
  .object({
    groupId: z.string(),
    results: z
      .array(
        z.object({
          caseId: z.string(),
          outcome: z.enum(groupAppendOutcomes).meta({
            description:
              'recorded: the events are recorded now; replayed: a retry, they were recorded before; ' +
              'refused: nothing recorded for this case, see `problem`',
          }),
          version: z.int().optional().meta({ description: "The case's version after the append" }),
          eventIds: z.array(z.string()).optional().meta({ description: "This case's copies of the events" }),
          problem: problemSchema
            .extend({ code: z.string().meta({ description: 'The problem code, e.g. case_not_found' }) })
            .optional(),
        }),
      )
      .meta({ description: 'One per case, in the order of `caseIds`' }),
  })
  .meta({ id: 'GroupAppendResult' });

export const groupsSchema = z
  .object({
    groups: z
      .array(z.object({ groupId: z.string() }))
      .meta({ description: 'Every group a case was opened in, sorted by id' }),
  })
  .meta({ id: 'Groups' });

export const alertSchema = z
  .object({
    caseId: z.string(),
    kind: z.enum(alertKinds),
    since: z
      .string()
      .optional()
      .meta({ description: 'When the situation started (an occurred-at or a day)' }),
    due: z.string().optional().meta({ description: 'The day a custody term ends' }),
    days: z.int().meta({ description: 'Days it has lasted, or, for an expiring term, days left' }),
    version: z
      .int()
      .optional()
      .meta({ description: 'ledger_tampered: the event that was changed or removed' }),
    change: z.enum(['modified', 'removed']).optional(),
    held: z.boolean().optional().meta({
      description:
        'not_seen_at_hearing: true when the hearing was held and the person not seen there, false when nothing is recorded of it',
    }),
  })
  .meta({ id: 'Alert' });

export const alertsSchema = z
  .object({
    alerts: z.array(alertSchema),
    asOf: z.string(),
    thresholds: z.object({ consularVisitDays: z.int(), custodyExpiringDays: z.int(), noNewsDays: z.int() }),
  })
  .meta({ id: 'Alerts' });

export const verifySchema = z
  .object({
    ok: z.boolean(),
    events: z.int().meta({ description: 'How many events were checked' }),
    headHash: z.string().meta({ description: 'The stored hash of the last event' }),
    brokenAt: z
      .int()
      .optional()
      .meta({ description: 'The first version whose hash, link or place does not hold' }),
  })
  .meta({ id: 'Verification' });

export const digestSchema = z
  .object({
    sequence: z.int(),
    at: z.string().meta({ description: 'The heads are those of every event recorded by this moment' }),
    cases: z.int(),
    events: z.int(),
    root: z.string().meta({ description: 'RFC 6962 Merkle root over the case heads, hex' }),
    prevDigestHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'LedgerDigest' });

export const proofSchema = z
  .object({
    digest: digestSchema,
    leaf: z.object({ caseId: z.string(), version: z.int(), hash: z.string() }),
    leafIndex: z.int(),
    treeSize: z.int(),
    path: z.array(z.string()).meta({ description: 'Sibling hashes from the leaf up, as in RFC 6962 §2.1.1' }),
    current: z
      .object({
        hash: z.string().nullable().meta({ description: 'The hash stored today at the proven version' }),
        chainHolds: z
          .boolean()
          .meta({ description: "Today's events 1 … version still form an unbroken chain" }),
        matches: z.boolean().meta({ description: 'The chain holds and ends in the proven hash' }),
      })
      .meta({ description: 'Whether the ledger today still holds the history the digest committed to' }),
  })
  .meta({ id: 'InclusionProof' });

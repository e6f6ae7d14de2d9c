import * as z from 'zod';
import { caseStatuses } from './case-status.ts';
import { chargeSchema, hearingAttendances, releaseModes } from './event-catalogue.ts';

const when = z.string().nullable();

/** One valid-time interval of a status; `from` and `to` are the occurred-at texts that opened and closed it. */
export const statusIntervalSchema = z
  .object({ status: z.enum(caseStatuses), from: z.string(), to: when })
  .meta({ id: 'StatusInterval' });

/**
 * The case view: the fold of a case's events. Dates are the occurred-at texts of the events that
 * set them (EDTF, an ISO 8601 profile), so their precision and uncertainty are never lost; `custodyUntil`,
 * `nextHearingAt` and `lastHearingAt` are calendar days. `null` means the record says nothing yet.
 */
export const caseViewSchema = z
  .object({
    caseId: z.string(),
    groupId: z.string().nullable(),
    nationality: z.string().nullable(),
    status: z.enum(caseStatuses),
    facility: z.string().nullable(),
    charges: z.array(chargeSchema),
    detainedAt: when,
    releasedAt: when,
    releaseMode: z.enum(releaseModes).nullable(),
    custodyUntil: when,
    lastConsularVisitAt: when,
    consularVisitCount: z.int(),
    nextHearingAt: when.meta({
      description: 'The day of the scheduled hearing no held hearing has fulfilled yet (it may have passed)',
    }),
    lastHearingAt: when.meta({ description: 'The day of the latest hearing held' }),
    lastHearingAttended: z
      .enum(hearingAttendances)
      .nullable()
      .meta({ description: 'Whether the person was seen at the latest hearing held' }),
    lastOccurredAt: when.meta({ description: 'The occurred-at of the latest event that counts' }),
    statusHistory: z.array(statusIntervalSchema),
    pending: z.array(z.string()).meta({
      description:
        'Events whose uncertain date has begun but not ended at the moment of the view; they count once it has',
    }),
    pendingUntil: when.meta({ description: 'When the first pending event starts to count (ISO instant)' }),
    version: z.int().meta({ description: 'The stream version the view reflects' }),
    lastRecordedAt: when,
  })
  .meta({ id: 'CaseView' });

export type CaseView = z.output<typeof caseViewSchema>;
export type StatusInterval = z.output<typeof statusIntervalSchema>;

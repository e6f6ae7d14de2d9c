import type { NewEvent } from '../../domain/event-catalogue.ts';

/**
 * An invented group for summaries and alerts: visits, extensions, transfers, a sentence, releases recorded
 * late, and dates of every precision the ledger takes. Each case says when its events were recorded.
 */
export const REPORT_GROUP = 'g-reports';

const source = [{ title: 'Invented monitoring note', publisher: 'Example Monitor' }];
const event = (type: string, occurredAt: string, data: Record<string, unknown>) =>
  ({ type, occurredAt, sources: source, data }) as NewEvent;

export interface ReportCase {
  readonly caseId: string;
  readonly nationality: string;
  readonly groupId: string;
  /** Batches of events, each appended at its `recordedAt`. */
  readonly batches: ReadonlyArray<{ readonly recordedAt: string; readonly events: readonly NewEvent[] }>;
}

export const reportCases: readonly ReportCase[] = [
  {
    // Custody ordered and extended; a visit; released in "2025-10", recorded only in December.
    caseId: 'r-1',
    nationality: 'Utopia',
    groupId: REPORT_GROUP,
    batches: [
      {
        recordedAt: '2025-07-02T10:00:00Z',
        events: [
          event('Detained', '2025-06-30', { place: 'Port City', facility: 'North Remand' }),
          event('CustodyOrdered', '2025-07-01', { court: 'Port City Court', until: '2025-09-01' }),
        ],
      },
      {
        recordedAt: '2025-07-11T10:00:00Z',
        events: [event('ConsularVisit', '2025-07-10', { by: 'Consul' })],
      },
      {
        recordedAt: '2025-08-29T10:00:00Z',
        events: [event('CustodyExtended', '2025-08-28', { court: 'Port City Court', until: '2025-11-01' })],
      },
      {
        recordedAt: '2025-12-05T10:00:00Z',
        events: [event('Released', '2025-10', { mode: 'bail', announced: false })],
      },
    ],
  },
  {
    // Detained "about July", a visit "maybe August", transferred in September.
    caseId: 'r-2',
    nationality: 'Freedonia',
    groupId: REPORT_GROUP,
    batches: [
      {
        recordedAt: '2025-09-20T10:00:00Z',
        events: [
          event('Detained', '2025-07~', { place: 'Hill Town', facility: 'South Colony' }),
          event('ConsularVisit', '2025-08?', { by: 'Consul' }),
          event('Transferred', '2025-09-15', { toFacility: 'East Cells, Block "B"' }),
        ],
      },
    ],
  },
  {
    // Detained at an instant with an offset; sentenced in November.
    caseId: 'r-3',
    nationality: 'Freedonia',
    groupId: REPORT_GROUP,
    batches: [
      {
        recordedAt: '2025-07-01T10:00:00Z',
        events: [
          event('Detained', '2025-06-30T23:30:00-02:00', { place: 'Port City', facility: 'North Remand' }),
        ],
      },
      {
        recordedAt: '2025-11-21T10:00:00Z',
        events: [
          event('Sentenced', '2025-11-20', {
            court: 'Port City Court',
            term: { years: 2 },
            facility: 'West Colony',
          }),
        ],
      },
    ],
  },
  {
    // Released some day between 10 and 20 September.
    caseId: 'r-4',
    nationality: 'Utopia',
    groupId: REPORT_GROUP,
    batches: [
      {
        recordedAt: '2025-07-03T10:00:00Z',
        events: [event('Detained', '2025-06-30', { place: 'Port City' })],
      },
      {
        recordedAt: '2025-09-25T10:00:00Z',
        events: [event('Released', '2025-09-10/2025-09-20', { mode: 'exchange', announced: true })],
      },
    ],
  },
  {
    // A term that runs out with nothing recorded after it: lapsed, no visit, no news.
    caseId: 'r-5',
    nationality: 'Utopia',
    groupId: REPORT_GROUP,
    batches: [
      {
        recordedAt: '2025-07-02T10:00:00Z',
        events: [
          event('Detained', '2025-06-30', { place: 'Port City', facility: 'North Remand' }),
          event('CustodyOrdered', '2025-07-01', { court: 'Port City Court', until: '2025-08-31' }),
        ],
      },
    ],
  },
  {
    // Another group, which no query of this one may count.
    caseId: 'o-1',
    nationality: 'Utopia',
    groupId: 'g-other',
    batches: [
      {
        recordedAt: '2025-07-02T10:00:00Z',
        events: [event('Detained', '2025-06-30', { place: 'Port City', facility: 'North Remand' })],
      },
    ],
  },
];

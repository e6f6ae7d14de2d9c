import type { z } from 'zod';
import type { newEventSchema, sourceSchema, subjectSchema } from '../domain/event-catalogue.ts';

/**
 * An invented group for `npm run demo`: six people detained after a protest by a river in an invented city.
 * Every person, place, court and source here is fictional (the URLs use the reserved `example.org`); any likeness
 * to real people is accidental. The stories are chosen to show what the ledger is for: consular visits with a
 * long gap, a custody extension, a release that was recorded weeks late, a release whose date is only known to
 * the month, a transfer, and a sentence.
 */

export type DemoEvent = z.input<typeof newEventSchema>;
type DemoSource = z.input<typeof sourceSchema>;

export interface DemoCase {
  readonly caseId: string;
  readonly subject: z.input<typeof subjectSchema>;
  /** When the case was opened (an instant, so the opening counts from that moment). */
  readonly openedAt: string;
  /** Recorded with the opening, in the same transaction. */
  readonly events: readonly DemoEvent[];
}

/** Facts that reached the ledger later, appended in this order after every case is open. */
export interface DemoUpdate {
  readonly caseId: string;
  /** Why this is a separate, later append: what the demo shows with it. */
  readonly why: string;
  readonly events: readonly DemoEvent[];
}

export const DEMO_GROUP_ID = 'demo-riverside-2025';

const news = (title: string, publishedAt: string, slug: string): DemoSource => ({
  title,
  publisher: 'Example Daily (fictional)',
  url: `https://example.org/news/${slug}`,
  publishedAt,
});
const consulate = (title: string, publishedAt: string): DemoSource => ({
  title,
  publisher: 'Consulate of Ruritania in Exampleton (fictional)',
  publishedAt,
});
const family = (title: string): DemoSource => ({ title, publisher: 'Family of the detainee (fictional)' });

const arrestReport = news(
  'Dozens held after riverside protest in Exampleton',
  '2025-07-01',
  'riverside-arrests',
);
const courtReport = news(
  'Exampleton court orders custody for riverside protesters',
  '2025-07-03',
  'custody-orders',
);

const riversideArrest = (facility: string): DemoEvent => ({
  type: 'Detained',
  occurredAt: '2025-06-30',
  sources: [arrestReport],
  data: { place: 'Riverside Square, Exampleton', facility, authority: 'Exampleton City Police (fictional)' },
});
const riotCharge: DemoEvent = {
  type: 'Charged',
  occurredAt: '2025-07-02',
  sources: [courtReport],
  data: {
    charges: [{ text: 'Taking part in mass disorder (invented charge)', article: '212 (fictional code)' }],
  },
};
const twoMonthsCustody: DemoEvent = {
  type: 'CustodyOrdered',
  occurredAt: '2025-07-02',
  sources: [courtReport],
  data: { court: 'Exampleton District Court', months: 2 },
};
const visit = (occurredAt: string, notes?: string): DemoEvent => ({
  type: 'ConsularVisit',
  occurredAt,
  sources: [consulate(`Consular visit on ${occurredAt.slice(0, 10)}`, occurredAt.slice(0, 10))],
  data: { by: 'Consulate of Ruritania in Exampleton', ...(notes && { notes }) },
});

const PRE_TRIAL = 'Exampleton Pre-trial Centre No. 1';
const subject = (name: string, nationality: string, birthYear: number, occupation: string) => ({
  name,
  nationality,
  birthYear,
  occupation,
});

export const demoCases: readonly DemoCase[] = [
  {
    caseId: 'demo-ada-example',
    subject: subject('Ada Example', 'Ruritania', 1991, 'journalist'),
    openedAt: '2025-07-01T08:00:00Z',
    events: [
      riversideArrest(PRE_TRIAL),
      riotCharge,
      twoMonthsCustody,
      visit('2025-07-03', 'In good health; asked for books.'),
      visit('2025-07-14'),
      visit('2025-07-23'),
      visit('2025-08-20', 'Complained of the heat in the cell.'),
    ],
  },
  {
    caseId: 'demo-bram-placeholder',
    subject: subject('Bram Placeholder', 'Ruritania', 1999, 'student'),
    openedAt: '2025-07-01T08:10:00Z',
    events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody, visit('2025-07-14')],
  },
  {
    caseId: 'demo-cora-sample',
    subject: subject('Cora Sample', 'Freedonia', 1985, 'engineer'),
    openedAt: '2025-07-01T08:20:00Z',
    events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody],
  },
  {
    caseId: 'demo-dev-testperson',
    subject: subject('Dev Testperson', 'Ruritania', 1994, 'photographer'),
    openedAt: '2025-07-01T08:30:00Z',
    events: [
      riversideArrest('Riverside District Police Station'),
      riotCharge,
      twoMonthsCustody,
      {
        type: 'Transferred',
        occurredAt: '2025-07-10',
        sources: [family('Call from the detainee to the family')],
        data: { fromFacility: 'Riverside District Police Station', toFacility: 'Northgate Remand Prison' },
      },
      visit('2025-07-23'),
    ],
  },
  {
    caseId: 'demo-eli-fictional',
    subject: subject('Eli Fictional', 'Freedonia', 1979, 'musician'),
    openedAt: '2025-07-01T08:40:00Z',
    events: [
      riversideArrest(PRE_TRIAL),
      {
        type: 'Charged',
        occurredAt: '2025-07-02',
        sources: [courtReport],
        data: {
          charges: [
            { text: 'Organising mass disorder (invented charge)', article: '212(1) (fictional code)' },
            { text: 'Resisting arrest (invented charge)' },
          ],
        },
      },
      twoMonthsCustody,
      {
        type: 'HearingScheduled',
        occurredAt: '2025-09-15',
        sources: [news('Trial date set for alleged protest organiser', '2025-09-15', 'trial-date')],
        data: { court: 'Exampleton Regional Court', on: '2025-11-18' },
      },
    ],
  },
  {
    caseId: 'demo-fay-madeup',
    subject: subject('Fay Madeup', 'Ruritania', 2001, 'teacher'),
    openedAt: '2025-07-01T08:50:00Z',
    events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody],
  },
];

export const demoUpdates: readonly DemoUpdate[] = [
  {
    caseId: 'demo-ada-example',
    why: 'custody extended by three months at the end of the first term',
    events: [
      {
        type: 'CustodyExtended',
        occurredAt: '2025-08-29',
        sources: [news('Custody of riverside detainees extended', '2025-08-30', 'custody-extended')],
        data: { court: 'Exampleton District Court', until: '2025-12-02' },
      },
    ],
  },
  {
    caseId: 'demo-bram-placeholder',
    why: 'a hearing date was recorded first…',
    events: [
      {
        type: 'HearingScheduled',
        occurredAt: '2025-10-20',
        sources: [news('Hearings set for riverside detainees', '2025-10-20', 'hearings-set')],
        data: { court: 'Exampleton District Court', on: '2025-12-10' },
      },
    ],
  },
  {
    caseId: 'demo-bram-placeholder',
    why: '…and only then the release on bail of 14 October, announced weeks later: the view orders by occurrence',
    events: [
      {
        type: 'Released',
        occurredAt: '2025-10-14',
        sources: [
          news('Student quietly released on bail in October, lawyer says', '2025-11-20', 'bail-revealed'),
        ],
        note: 'Released without announcement; the lawyer made it public on 20 November.',
        data: { mode: 'bail', announced: false },
      },
    ],
  },
  {
    caseId: 'demo-cora-sample',
    why: 'a release known only to the month, and uncertain even so',
    events: [
      {
        type: 'Released',
        occurredAt: '2025-10?',
        sources: [family('The family says she came home "some time in October"')],
        data: { mode: 'undisclosed', announced: false },
      },
    ],
  },
  {
    caseId: 'demo-eli-fictional',
    why: 'sentenced at trial and sent to a penal colony',
    events: [
      {
        type: 'Sentenced',
        occurredAt: '2025-11-18',
        sources: [news('Protest organiser sentenced to three years', '2025-11-18', 'sentence')],
        data: {
          court: 'Exampleton Regional Court',
          term: { years: 3 },
          facility: 'Eastfield Penal Colony No. 4',
        },
      },
      {
        type: 'Transferred',
        occurredAt: '2025-12',
        sources: [family('Letter from the penal colony')],
        data: { fromFacility: PRE_TRIAL, toFacility: 'Eastfield Penal Colony No. 4' },
      },
    ],
  },
  {
    caseId: 'demo-ada-example',
    why: 'the first consular visit in four months',
    events: [visit('2025-12-30T10:00:00Z', 'First visit since August; transferred to the hospital wing.')],
  },
];

import type { z } from 'zod';
import type { newEventSchema, sourceSchema, subjectSchema } from '../domain/event-catalogue.ts';

/**
 * An invented group for `npm run demo`: six people detained after a protest by a river in an invented city.
 * Every person, place, court and source here is fictional (the URLs use the reserved `example.org`); any likeness
 * to real people is accidental. The stories are chosen to show what the ledger is for: consular visits with a
 * long gap, a custody extension, a release that was recorded weeks late, a release whose date is only known to
 * the month, a transfer, a sentence, and a hearing the person was not brought to.
 *
 * Every date is counted back from the day the demo runs (`demoData(today)`), so the alerts read as a desk would
 * see them this week: a custody term ending in ten days, a visit a few weeks overdue, months without news.
 * Case ids are opaque codes: a case id travels in URLs, logs and exports, and must never carry a name.
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

export const DEMO_GROUP_ID = 'demo-riverside';

export interface DemoData {
  readonly cases: readonly DemoCase[];
  /** Appended in this order after every case is open. */
  readonly updates: readonly DemoUpdate[];
}

const DAY_MS = 86_400_000;

/**
 * The invented group as it stands on `today`: a pure function of it, so the same day gives the same data.
 *
 * @example
 * ```ts
 * const { cases, updates } = demoData(new Date());
 * ```
 */
export function demoData(today: Date): DemoData {
  /** The calendar day (UTC) `n` days before today; negative for days to come. */
  const day = (n: number) => new Date(today.getTime() - n * DAY_MS).toISOString().slice(0, 10);
  /** The month `n` days before today, as an uncertain EDTF month: `2025-10?`. */
  const uncertainMonth = (n: number) => `${day(n).slice(0, 7)}?`;
  const at = (n: number, time: string) => `${day(n)}T${time}Z`;

  const news = (title: string, publishedDaysAgo: number, slug: string): DemoSource => ({
    title,
    publisher: 'Example Daily (fictional)',
    url: `https://example.org/news/${slug}`,
    publishedAt: day(publishedDaysAgo),
  });
  const consulate = (title: string, publishedAt: string): DemoSource => ({
    title,
    publisher: 'Consulate of Ruritania in Exampleton (fictional)',
    publishedAt,
  });
  const family = (title: string): DemoSource => ({ title, publisher: 'Family of the detainee (fictional)' });

  const arrestReport = news('Dozens held after riverside protest in Exampleton', 149, 'riverside-arrests');
  const courtReport = news('Exampleton court orders custody for riverside protesters', 147, 'custody-orders');

  const riversideArrest = (facility: string): DemoEvent => ({
    type: 'Detained',
    occurredAt: day(150),
    sources: [arrestReport],
    data: {
      place: 'Riverside Square, Exampleton',
      facility,
      authority: 'Exampleton City Police (fictional)',
    },
  });
  const riotCharge: DemoEvent = {
    type: 'Charged',
    occurredAt: day(148),
    sources: [courtReport],
    data: {
      charges: [{ text: 'Taking part in mass disorder (invented charge)', article: '212 (fictional code)' }],
    },
  };
  const twoMonthsCustody: DemoEvent = {
    type: 'CustodyOrdered',
    occurredAt: day(148),
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
  const PENAL_COLONY = 'Eastfield Penal Colony No. 4';
  const subject = (name: string, nationality: string, birthYear: number, occupation: string) => ({
    name,
    nationality,
    birthYear,
    occupation,
  });
  const openedAt = (minute: number) => at(149, `08:${String(minute).padStart(2, '0')}:00`);

  const cases: DemoCase[] = [
    {
      caseId: 'demo-c01',
      subject: subject('Ada Example', 'Ruritania', 1991, 'journalist'),
      openedAt: openedAt(0),
      events: [
        riversideArrest(PRE_TRIAL),
        riotCharge,
        twoMonthsCustody,
        visit(day(147), 'In good health; asked for books.'),
        visit(day(136)),
        visit(day(127)),
        visit(day(99), 'Complained of the heat in the cell.'),
      ],
    },
    {
      caseId: 'demo-c02',
      subject: subject('Bram Placeholder', 'Ruritania', 1999, 'student'),
      openedAt: openedAt(10),
      events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody, visit(day(136))],
    },
    {
      caseId: 'demo-c03',
      subject: subject('Cora Sample', 'Freedonia', 1985, 'engineer'),
      openedAt: openedAt(20),
      events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody],
    },
    {
      caseId: 'demo-c04',
      subject: subject('Dev Testperson', 'Ruritania', 1994, 'photographer'),
      openedAt: openedAt(30),
      events: [
        riversideArrest('Riverside District Police Station'),
        riotCharge,
        twoMonthsCustody,
        {
          type: 'Transferred',
          occurredAt: day(140),
          sources: [family('Call from the detainee to the family')],
          data: { fromFacility: 'Riverside District Police Station', toFacility: 'Northgate Remand Prison' },
        },
        visit(day(127)),
        visit(day(41)),
      ],
    },
    {
      caseId: 'demo-c05',
      subject: subject('Eli Fictional', 'Freedonia', 1979, 'musician'),
      openedAt: openedAt(40),
      events: [
        riversideArrest(PRE_TRIAL),
        {
          type: 'Charged',
          occurredAt: day(148),
          sources: [courtReport],
          data: {
            charges: [
              { text: 'Organising mass disorder (invented charge)', article: '212(1) (fictional code)' },
              { text: 'Resisting arrest (invented charge)' },
            ],
          },
        },
        twoMonthsCustody,
        visit(day(50), 'Preparing for trial with his lawyer.'),
        {
          type: 'HearingScheduled',
          occurredAt: day(80),
          sources: [news('Trial date set for alleged protest organiser', 80, 'trial-date')],
          data: { court: 'Exampleton Regional Court', on: day(35) },
        },
      ],
    },
    {
      caseId: 'demo-c06',
      subject: subject('Fay Madeup', 'Ruritania', 2001, 'teacher'),
      openedAt: openedAt(50),
      events: [riversideArrest(PRE_TRIAL), riotCharge, twoMonthsCustody, visit(day(70))],
    },
  ];

  const updates: DemoUpdate[] = [
    {
      caseId: 'demo-c01',
      why: 'custody extended at the end of the first term, to end in ten days',
      events: [
        {
          type: 'CustodyExtended',
          occurredAt: day(89),
          sources: [news('Custody of riverside detainees extended', 88, 'custody-extended')],
          data: { court: 'Exampleton District Court', until: day(-10) },
        },
      ],
    },
    {
      caseId: 'demo-c02',
      why: 'a hearing date was recorded first…',
      events: [
        {
          type: 'HearingScheduled',
          occurredAt: day(40),
          sources: [news('Hearings set for riverside detainees', 40, 'hearings-set')],
          data: { court: 'Exampleton District Court', on: day(-20) },
        },
      ],
    },
    {
      caseId: 'demo-c02',
      why: '…and only then the release on bail of two months ago, announced weeks later: the view orders by occurrence',
      events: [
        {
          type: 'Released',
          occurredAt: day(56),
          sources: [news('Student quietly released on bail, lawyer says', 15, 'bail-revealed')],
          note: 'Released without announcement; the lawyer made it public weeks later.',
          data: { mode: 'bail', announced: false },
        },
      ],
    },
    {
      caseId: 'demo-c03',
      why: 'a release known only to the month, and uncertain even so',
      events: [
        {
          type: 'Released',
          occurredAt: uncertainMonth(75),
          sources: [family('The family says she came home "some time that month"')],
          data: { mode: 'undisclosed', announced: false },
        },
      ],
    },
    {
      caseId: 'demo-c05',
      why: 'sentenced at trial and sent to a penal colony',
      events: [
        {
          type: 'HearingHeld',
          occurredAt: day(35),
          sources: [news('Protest organiser sentenced to three years', 35, 'sentence')],
          data: { court: 'Exampleton Regional Court', on: day(35), attended: 'yes' },
        },
        {
          type: 'Sentenced',
          occurredAt: day(35),
          sources: [news('Protest organiser sentenced to three years', 35, 'sentence')],
          data: { court: 'Exampleton Regional Court', term: { years: 3 }, facility: PENAL_COLONY },
        },
        {
          type: 'Transferred',
          occurredAt: day(20),
          sources: [family('Letter from the penal colony')],
          data: { fromFacility: PRE_TRIAL, toFacility: PENAL_COLONY },
        },
      ],
    },
    {
      caseId: 'demo-c04',
      why: 'a hearing the photographer was not brought to: the question the journalists asked',
      events: [
        {
          type: 'HearingScheduled',
          occurredAt: day(30),
          sources: [news('Hearings set for riverside detainees', 30, 'hearings-set-2')],
          data: { court: 'Exampleton District Court', on: day(12) },
        },
        {
          type: 'HearingHeld',
          occurredAt: day(12),
          sources: [news('Photographer absent from his own hearing', 11, 'hearing-absent')],
          note: 'Lawyer says she was not brought from the remand prison.',
          data: {
            court: 'Exampleton District Court',
            on: day(12),
            attended: 'no',
            decision: 'Adjourned: the defendant was not brought to court.',
          },
        },
      ],
    },
    {
      caseId: 'demo-c01',
      why: 'the first consular visit in three months',
      events: [visit(at(3, '10:00:00'), 'First visit in three months; transferred to the hospital wing.')],
    },
  ];

  return { cases, updates };
}

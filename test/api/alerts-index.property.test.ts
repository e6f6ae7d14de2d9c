import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type AlertThresholds, alertDatesOf, alertsFor, byUrgency } from '../../domain/alerts.ts';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { dayOf, daysBetween } from '../../domain/calendar.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { foldCase } from '../../domain/fold-case.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import type { Services } from '../../functions/services.ts';
import { LAST_DAY_INDEX, occurredAtIn, toEvent, worldBody } from '../domain/event-arbitraries.ts';
import { answered, jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { retraction, withId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 0, 1);

let db: TestTables;
let services: Services;
let client: Client;
let now = new Date(FIRST_DAY);

type Client = Awaited<ReturnType<typeof typedClient>>;

beforeAll(async () => {
  db = await createTestTables('alerts-prop');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

/** One append of a case: events dated around a day, recorded some time after the latest of their starts. */
function appendArbitrary(base: number) {
  return fc.record({
    facts: fc.array(
      fc.record({ body: worldBody, occurredAt: occurredAtIn(base, Math.min(base + 6, LAST_DAY_INDEX)) }),
      { minLength: 1, maxLength: 3 },
    ),
    /** Retract an earlier event of the case (picked by index) in this append. */
    retract: fc.option(fc.nat(), { freq: 4 }),
    /** How long after its events' latest start the append is recorded: mostly soon, sometimes months late. */
    delayMs: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: MINUTE_MS, max: 5 * DAY_MS }) },
      { weight: 1, arbitrary: fc.integer({ min: 30 * DAY_MS, max: 200 * DAY_MS }) },
    ),
    /** The same append sent again, as a client retrying would, and projected again later, as a stream replays. */
    replay: fc.boolean(),
  });
}

/**
 * A case's story: appends whose dates mostly move forward but sometimes jump back (an event that lands in the
 * past), in one of two groups.
 */
const storyArbitrary = fc
  .record({
    start: fc.integer({ min: 0, max: 400 }),
    inSecondGroup: fc.boolean(),
    shifts: fc.array(fc.integer({ min: -30, max: 60 }), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ start, inSecondGroup, shifts }) => {
    let day = start;
    const bases = shifts.map((shift) => {
      day = Math.min(Math.max(day + shift, 0), LAST_DAY_INDEX);
      return day;
    });
    return fc.record({
      inSecondGroup: fc.constant(inSecondGroup),
      appends: fc.tuple(...bases.map(appendArbitrary)),
    });
  });

const runArbitrary = fc.record({
  stories: fc.array(storyArbitrary, { minLength: 1, maxLength: 4 }),
  /** How long after the last append the board asks. */
  askAfterMs: fc.integer({ min: 0, max: 150 * DAY_MS }),
  /** The case whose dates give the thresholds of a second ask, at the edges. */
  boundary: fc.nat(),
  thresholds: fc.record({
    consularVisitDays: fc.integer({ min: 1, max: 60 }),
    custodyExpiringDays: fc.integer({ min: 0, max: 40 }),
    noNewsDays: fc.integer({ min: 1, max: 90 }),
  }),
});

interface PlannedAppend {
  readonly caseId: string;
  readonly first: boolean;
  readonly groupId: string;
  readonly events: IdentifiedEvent[];
  readonly recordedAt: number;
  readonly replay: boolean;
}

let runs = 0;

describe('GET /alerts as of now, from the alert indexes', () => {
  it('equals alertsFor over the fold of every case as of then, for any thresholds, group or none', async () => {
    await fc.assert(
      fc.asyncProperty(runArbitrary, async ({ stories, askAfterMs, thresholds, boundary }) => {
        runs += 1;
        const groups = [`g-prop-${runs}-a`, `g-prop-${runs}-b`];
        const planned: PlannedAppend[] = [];
        for (const [index, story] of stories.entries()) {
          const caseId = `prop-${runs}-${index}`;
          const groupId = groups[story.inSecondGroup ? 1 : 0]!;
          let recordedAt = FIRST_DAY;
          const world: IdentifiedEvent[] = [];
          for (const [at, append] of story.appends.entries()) {
            const events = append.facts.map((fact) => toEvent(fact, crypto.randomUUID()));
            const latestStart = Math.max(...events.map((event) => occurredAtOf(event.occurredAt).earliest));
            recordedAt = Math.max(recordedAt + MINUTE_MS, latestStart) + append.delayMs;
            world.push(...events);
            if (append.retract !== null && world.length > 0) {
              const target = world[append.retract % world.length]!;
              events.push(retraction(target, new Date(recordedAt).toISOString().slice(0, 10)));
              world.splice(world.indexOf(target), 1);
            }
            planned.push({ caseId, first: at === 0, groupId, events, recordedAt, replay: append.replay });
          }
        }
        planned.sort((a, b) => a.recordedAt - b.recordedAt);

        for (const append of planned) {
          now = new Date(append.recordedAt);
          const send = () =>
            append.first
              ? client.cases.$post({
                  header: {},
                  json: {
                    caseId: append.caseId,
                    subject: { name: `Test Person ${append.caseId}`, nationality: 'Utopia' },
                    groupId: append.groupId,
                    events: append.events.map(withId),
                  },
                })
              : client.cases[':caseId'].events.$post({
                  param: { caseId: append.caseId },
                  header: {},
                  json: { events: append.events.map(withId) },
                });
          const answer = await answered(send());
          expect(answer.status, JSON.stringify(answer.body)).toBe(201);
          await projectCases(services, append.caseId);
          if (append.replay) {
            // A case's opening is refused a second time (its opening event gets a new id); a later append's
            // retry is answered from the record.
            if (!append.first) expect((await answered(send())).status).toBeLessThan(300);
            now = new Date(append.recordedAt + MINUTE_MS);
            await projectCases(services, append.caseId);
          }
        }

        now = new Date(Math.max(...planned.map((append) => append.recordedAt)) + MINUTE_MS + askAfterMs);
        const caseIds = [...new Set(planned.map((append) => append.caseId))];
        const groupOf = new Map(planned.map((append) => [append.caseId, append.groupId]));
        const folds: CaseView[] = [];
        for (const caseId of caseIds) {
          folds.push(foldCase(caseId, await services.ledger.readStream(caseId), { asOf: now }));
        }
        const expectAlerts = async (given: AlertThresholds) => {
          const expected = folds.flatMap((view) => alertsFor(view, now, given)).sort(byUrgency);
          const query = {
            consularVisitDays: String(given.consularVisitDays),
            custodyExpiringDays: String(given.custodyExpiringDays),
            noNewsDays: String(given.noNewsDays),
          };
          const all = await jsonAt(await client.alerts.$get({ query }), 200);
          expect(all.asOf).toBe(now.toISOString());
          const ofRun = (all.alerts as Alert[]).filter(
            (alert) => caseIds.includes(alert.caseId) && alert.kind !== 'ledger_tampered',
          );
          expect(ofRun, JSON.stringify(given)).toEqual(expected);
          for (const groupId of groups) {
            const ofGroup = await jsonAt(await client.alerts.$get({ query: { ...query, groupId } }), 200);
            expect(ofGroup.alerts).toEqual(expected.filter((alert) => groupOf.get(alert.caseId) === groupId));
          }
        };

        await expectAlerts(thresholds);
        // And at the edges of one case's dates, where a range that is one day off would show.
        const today = dayOf(now.getTime());
        const dates = alertDatesOf(folds[boundary % folds.length]!);
        for (const shift of [0, 1]) {
          await expectAlerts({
            consularVisitDays: Math.max(1, (dates?.visit ? daysBetween(dates.visit.day, today) : 1) - shift),
            custodyExpiringDays: Math.max(0, (dates?.term ? daysBetween(today, dates.term) : 0) - shift),
            noNewsDays: Math.max(1, (dates?.news ? daysBetween(dates.news.day, today) : 1) - shift),
          });
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});

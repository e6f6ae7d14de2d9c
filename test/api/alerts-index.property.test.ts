import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type AlertThresholds, alertDatesOf, alertsFor, byUrgency } from '../../domain/alerts.ts';
import { dayOf, daysBetween } from '../../domain/calendar.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { foldCase } from '../../domain/fold-case.ts';
import type { Services } from '../../functions/services.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import {
  DAY_MS,
  FIRST_DAY,
  MINUTE_MS,
  planAppends,
  recordPlanned,
  storyArbitrary,
} from '../support/random-stories.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

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

let runs = 0;
/** Hearing alerts the property met: the stories must reach the new kind, or the property says nothing of it. */
let hearingAlerts = 0;

describe('GET /alerts as of now, from the alert indexes', () => {
  it('equals alertsFor over the fold of every case as of then, for any thresholds, group or none', async () => {
    await fc.assert(
      fc.asyncProperty(runArbitrary, async ({ stories, askAfterMs, thresholds, boundary }) => {
        runs += 1;
        const groups = [`g-prop-${runs}-a`, `g-prop-${runs}-b`];
        const planned = planAppends(stories, `prop-${runs}`, [groups[0]!, groups[1]!]);
        for (const append of planned) {
          await recordPlanned(
            client,
            append,
            (at) => {
              now = new Date(at);
            },
            (caseId) => projectCases(services, caseId),
          );
        }

        now = new Date(Math.max(...planned.map((append) => append.recordedAt)) + MINUTE_MS + askAfterMs);
        const caseIds = [...new Set(planned.map((append) => append.caseId))];
        const groupOf = new Map(planned.map((append) => [append.caseId, append.groupId]));
        const folds: CaseView[] = [];
        for (const caseId of caseIds) {
          folds.push(foldCase(caseId, await services.ledger.readStream(caseId), { asOf: now }));
        }
        const expectAlerts = async (given: AlertThresholds, groupsAsked: readonly string[]) => {
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
          hearingAlerts += expected.filter((alert) => alert.kind === 'not_seen_at_hearing').length;
          for (const groupId of groupsAsked) {
            const ofGroup = await jsonAt(await client.alerts.$get({ query: { ...query, groupId } }), 200);
            expect(ofGroup.alerts).toEqual(expected.filter((alert) => groupOf.get(alert.caseId) === groupId));
          }
        };

        await expectAlerts(thresholds, groups);
        // And at the edges of one case's dates, where a range that is one day off would show: asked with no group
        // and with that case's own, the one group whose filter the case at its edge passes.
        const today = dayOf(now.getTime());
        const edgeCase = folds[boundary % folds.length]!;
        const dates = alertDatesOf(edgeCase);
        for (const shift of [0, 1]) {
          await expectAlerts(
            {
              consularVisitDays: Math.max(
                1,
                (dates?.visit ? daysBetween(dates.visit.day, today) : 1) - shift,
              ),
              custodyExpiringDays: Math.max(0, (dates?.term ? daysBetween(today, dates.term) : 0) - shift),
              noNewsDays: Math.max(1, (dates?.news ? daysBetween(dates.news.day, today) : 1) - shift),
            },
            [groupOf.get(edgeCase.caseId)!],
          );
        }
      }),
      // Every run adds cases to the one table, and in the full suite, with every other file on the same DynamoDB
      // Local, a run has taken ten times what it takes alone: hence the long limit below.
      { numRuns: 25 },
    );
    expect(hearingAlerts).toBeGreaterThan(0);
  }, 480_000);
});

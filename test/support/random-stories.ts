import fc from 'fast-check';
import { expect } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import {
  hearingBodyIn,
  LAST_DAY_INDEX,
  occurredAtIn,
  toEvent,
  worldBody,
} from '../domain/event-arbitraries.ts';
import { answered, type typedClient } from './api-client.ts';
import { retraction, withId } from './sample-events.ts';

/*
 * Random stories of cases for property tests over the API: appends whose dates mostly move forward but sometimes
 * jump back (an event that lands in the past), late records, retractions, uncertain dates, and appends sent and
 * projected twice, as a retrying client and a replaying stream would.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** The first day of the generated dates (`event-arbitraries.ts`). */
export const FIRST_DAY = Date.UTC(2024, 0, 1);

type Client = Awaited<ReturnType<typeof typedClient>>;

/** One append of a case: events dated around a day, recorded some time after the latest of their starts. */
function appendArbitrary(base: number) {
  return fc.record({
    facts: fc.array(
      fc.record({
        // Hearings around the append's days, so that held hearings meet, or miss, the scheduled ones.
        body: fc.oneof(
          { weight: 4, arbitrary: worldBody },
          { weight: 1, arbitrary: hearingBodyIn(Math.max(base - 3, 0), base + 10) },
        ),
        occurredAt: occurredAtIn(base, Math.min(base + 6, LAST_DAY_INDEX)),
      }),
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

/** A case's story: its appends, in one of two groups. */
export const storyArbitrary = fc
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

/** One generated story. */
export type Story = typeof storyArbitrary extends fc.Arbitrary<infer T> ? T : never;

export interface PlannedAppend {
  readonly caseId: string;
  readonly first: boolean;
  readonly groupId: string;
  readonly events: IdentifiedEvent[];
  readonly recordedAt: number;
  readonly replay: boolean;
}

/** Every append of the stories, cases `<prefix>-<index>` in groups `groups`, in the order they are recorded. */
export function planAppends(
  stories: readonly Story[],
  prefix: string,
  groups: readonly [string, string],
): PlannedAppend[] {
  const planned: PlannedAppend[] = [];
  for (const [index, story] of stories.entries()) {
    const caseId = `${prefix}-${index}`;
    const groupId = groups[story.inSecondGroup ? 1 : 0];
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
  return planned.sort((a, b) => a.recordedAt - b.recordedAt);
}

/**
 * Records one planned append through the API at its moment, projects it, and for a replay sends it again and
 * projects again a minute later. `setNow` moves the test's clock; `project` projects a case.
 */
export async function recordPlanned(
  client: Client,
  append: PlannedAppend,
  setNow: (at: number) => void,
  project: (caseId: string) => Promise<void>,
): Promise<void> {
  setNow(append.recordedAt);
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
  await project(append.caseId);
  if (append.replay) {
    // A case's opening is refused a second time (its opening event gets a new id); a later append's retry is
    // answered from the record.
    if (!append.first) expect((await answered(send())).status).toBeLessThan(300);
    setNow(append.recordedAt + MINUTE_MS);
    await project(append.caseId);
  }
}

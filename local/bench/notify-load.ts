import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import type { NotificationStore } from '../../functions/notify/notification-store.ts';
import { visitAt, withIds } from './bench-events.ts';
import type { BenchTarget } from './bench-target.ts';

/** The group the notify family's cases are opened in, and its subscriptions watch: no other case counts. */
export const NOTIFY_GROUP = 'notify-bench';

const DAY_MS = 86_400_000;
/** Invented sources only: the benchmark records no real person. */
const SOURCES = [{ title: 'Benchmark report (invented)', publisher: 'Bench Monitor' }];

/**
 * A case detained 45 days ago: past the 30 days of a consular visit's threshold, short of the 60 of no news.
 * An alerting one has had no visit since (`consular_visit_overdue`); a quiet one was visited two days ago.
 */
function notifyCaseEvents(alerting: boolean, now: number): NewEvent[] {
  const detainedAt = new Date(now - 45 * DAY_MS).toISOString();
  return [
    {
      type: 'CaseOpened',
      occurredAt: detainedAt,
      sources: SOURCES,
      data: { subject: { name: 'Bench Person', nationality: 'Utopia' }, groupId: NOTIFY_GROUP },
    },
    {
      type: 'Detained',
      occurredAt: detainedAt,
      sources: SOURCES,
      data: { place: 'Capital', facility: 'Invented Remand Prison' },
    },
    ...(alerting ? [] : [visitAt(new Date(now - 2 * DAY_MS))]),
  ];
}

/**
 * Opens `count` cases in `NOTIFY_GROUP` through the store, every other one alerting, eight at a time, and waits
 * for the runtime's projector to have them all. Ids carry no names: `C-nb-<run>-<n>`.
 */
export async function loadNotifyCases(
  target: BenchTarget,
  count: number,
): Promise<{ alerting: string[]; quiet: string[] }> {
  const run = randomUUID().slice(0, 8);
  const cases = Array.from({ length: count }, (_, index) => ({
    caseId: `C-nb-${run}-${index}`,
    alerting: index % 2 === 0,
  }));
  const now = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const { caseId, alerting } = cases[next++]!;
      const { version } = await target.ledger.append({
        caseId,
        events: withIds(notifyCaseEvents(alerting, now)),
        expected: 'no_stream',
        recordedBy: 'bench',
      });
      target.projection.note(caseId, version);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await target.projected();
  return {
    alerting: cases.filter((c) => c.alerting).map((c) => c.caseId),
    quiet: cases.filter((c) => !c.alerting).map((c) => c.caseId),
  };
}

/**
 * Active email subscriptions to overdue visits in `NOTIFY_GROUP`, of invented desks: `immediate` told at once,
 * `daily` at an hour twelve hours away, so that no digest falls due while the family runs. Their ids.
 */
export async function createNotifySubscriptions(
  store: NotificationStore,
  counts: { readonly immediate: number; readonly daily: number },
  now: Date,
): Promise<string[]> {
  const digestHour = (now.getUTCHours() + 12) % 24;
  const subscription = (id: string, index: number, cadence: Subscription['cadence']): Subscription => ({
    id,
    owner: `bench-desk-${index}`,
    ownerRoles: ['viewer'],
    state: 'active',
    createdAt: now.toISOString(),
    confirmedAt: now.toISOString(),
    scope: { kind: 'group', groupId: NOTIFY_GROUP },
    alertKinds: ['consular_visit_overdue'],
    eventTypes: [],
    channel: { kind: 'email', address: `desk-${index}@bench.example.org`, language: 'en' },
    cadence,
  });
  const all = [
    ...Array.from({ length: counts.immediate }, (_, i) =>
      subscription(`nb-immediate-${i}`, i, { kind: 'immediate' }),
    ),
    ...Array.from({ length: counts.daily }, (_, i) =>
      subscription(`nb-daily-${i}`, counts.immediate + i, {
        kind: 'daily',
        hour: digestHour,
        timeZone: 'UTC',
      }),
    ),
  ];
  for (const s of all) await store.createSubscription(s);
  return all.map((s) => s.id);
}

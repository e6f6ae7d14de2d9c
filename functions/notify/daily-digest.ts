import { digestDue } from '../../domain/notifications/digest-schedule.ts';
import type { AlertMention, EventMention } from '../../domain/notifications/notice.ts';
import { noticeIds } from '../../domain/notifications/notice-ids.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import type { NotifierDeps } from './notifier-deps.ts';
import { noticeFor, withoutRevision } from './watch-alerts.ts';

/**
 * The entries one digest notice takes, with its own notice, the watch state and one delete per entry in one
 * transaction (at most 100 items): a digest that has more becomes several notices for the same day, each a
 * transaction, so nothing kept is ever told twice nor dropped.
 */
export const ENTRIES_PER_DIGEST = 95;

const lifeOf = (mention: AlertMention) => `${mention.alert.caseId}#${mention.alert.kind}#${mention.raisedAt}`;
const MAX_PARTS = 20;

/**
 * A daily subscription's digest, when one is due at `now`: what was raised and resolved since the last one, the
 * alerts still open, and the events of watched cases. A day with nothing to tell records its digest as made and
 * sends nothing. Returns the digest notices written.
 */
export async function makeDigest(deps: NotifierDeps, subscription: Subscription, now: Date): Promise<number> {
  if (subscription.cadence.kind !== 'daily') return 0;
  const { store } = deps;
  let watch = await store.getWatch(subscription.id);
  const due = digestDue(subscription.cadence, now, {
    ...(watch.lastDigestDay !== undefined && { lastDigestDay: watch.lastDigestDay }),
    ...(watch.baselineAt !== undefined && { since: new Date(watch.baselineAt) }),
  });
  if (!due.due) return 0;

  const open = await store.listOpenAlerts(subscription.id);
  // Entries kept later than `now` (another process's clock ahead of ours) wait for the next digest.
  const cutoff = `pending#${now.toISOString()}~`;
  let written = 0;
  for (let part = 1; part <= MAX_PARTS; part += 1) {
    const entries = (await store.listPendingEntries(subscription.id, ENTRIES_PER_DIGEST)).filter(
      (entry) => entry.sk <= cutoff,
    );
    if (part > 1 && entries.length === 0) break;
    const raised: AlertMention[] = [];
    const resolved: AlertMention[] = [];
    const events: EventMention[] = [];
    for (const { entry } of entries) {
      if (entry.kind === 'raised') raised.push(entry.mention);
      else if (entry.kind === 'resolved') resolved.push(entry.mention);
      else events.push(entry.event);
    }
    // Still open: open now and not raised since the last digest (those are listed as raised).
    const raisedNow = new Set(raised.map(lifeOf));
    const openNow = part === 1 ? open.filter((mention) => !raisedNow.has(lifeOf(mention))) : [];
    const empty = raised.length + resolved.length + events.length + openNow.length === 0;
    const notice = noticeFor(
      subscription,
      noticeIds.digest(subscription.id, due.day, part),
      {
        kind: 'digest',
        day: due.day,
        timeZone: subscription.cadence.timeZone,
        raised,
        open: openNow,
        resolved,
        events,
      },
      now,
    );
    const outcome = await store.transact([
      ...(empty ? [] : [store.parts.putNotice(notice, { kind: 'subscription' }, now)]),
      store.parts.putWatch(
        subscription.id,
        { ...withoutRevision(watch), lastDigestDay: due.day, lastDigestAt: now.toISOString() },
        watch,
      ),
      ...entries.map((entry) => store.parts.deletePendingEntry(subscription.id, entry.sk)),
    ]);
    // Another run made this digest (or this part) first: it is its to finish.
    if (outcome === 'conflict') break;
    if (!empty) written += 1;
    if (entries.length < ENTRIES_PER_DIGEST) break;
    watch = await store.getWatch(subscription.id);
  }
  if (written > 0)
    deps.logger.info('digest made', { subscriptionId: subscription.id, day: due.day, notices: written });
  return written;
}

import { createHash } from 'node:crypto';

/**
 * The keys of every item in the notifications table, in one place. Partitions:
 * - `sub#<id>`: the subscription (`sk = subscription`), its watch state (`watch`), the alerts it has seen open
 *   (`alert#<caseId>#<kind>`) and what waits for its next digest (`pending#<at>#<key>`);
 * - `endpoint#<id>`: the endpoint (`sk = endpoint`) and its delivery log (`delivery#<at>#<noticeId>#<attempt>`);
 * - `notice#<id>`: one notice of the outbox (`sk = notice`).
 */
export const notificationKeys = {
  subscription: (id: string) => ({ pk: `sub#${id}`, sk: 'subscription' }),
  watch: (subscriptionId: string) => ({ pk: `sub#${subscriptionId}`, sk: 'watch' }),
  openAlert: (subscriptionId: string, caseId: string, kind: string) => ({
    pk: `sub#${subscriptionId}`,
    sk: `alert#${caseId}#${kind}`,
  }),
  pendingForDigest: (subscriptionId: string, at: string, key: string) => ({
    pk: `sub#${subscriptionId}`,
    sk: `pending#${at}#${key}`,
  }),
  endpoint: (id: string) => ({ pk: `endpoint#${id}`, sk: 'endpoint' }),
  delivery: (endpointId: string, at: string, noticeId: string, attempt: number) => ({
    pk: `endpoint#${endpointId}`,
    // Zero-padded so that attempts of one notice at one instant sort in order.
    sk: `delivery#${at}#${noticeId}#${String(attempt).padStart(4, '0')}`,
  }),
  notice: (id: string) => ({ pk: `notice#${id}`, sk: 'notice' }),
} as const;

/** The `sk` prefixes of the items that share a subscription's or an endpoint's partition. */
export const SK_PREFIX = { openAlert: 'alert#', pending: 'pending#', delivery: 'delivery#' } as const;

/** The `kindPk` values of the byKind index. */
export const KIND = { subscription: 'subscription', endpoint: 'endpoint' } as const;

/**
 * The outbox is spread over this many `due#<n>` partitions of the byDue index, so that a burst of notices is
 * not one hot partition; the notifier reads them all.
 */
export const DUE_SHARDS = 4;

export function dueShardOf(noticeId: string): string {
  const n = createHash('sha256').update(noticeId).digest().readUInt8(0) % DUE_SHARDS;
  return `due#${n}`;
}

export const ownerPartition = (owner: string) => `owner#${owner}`;

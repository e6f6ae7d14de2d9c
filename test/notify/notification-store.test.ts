import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../domain/notifications/notice.ts';
import { SECRET_OVERLAP_MS, signingSecrets } from '../../domain/notifications/webhook-endpoint.ts';
import {
  NotificationConflictError,
  NotificationNotFoundError,
  NotificationStore,
} from '../../functions/notify/notification-store.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { anEndpoint, aSubscription } from './support/notify-fixtures.ts';

/** The notification store against DynamoDB Local: every condition tried by a real race or a real repeat. */
let db: TestTables;
let store: NotificationStore;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestTables('notify-store');
  store = new NotificationStore({ documents: db.clients.documents, tableName: db.tables.notifications });
});
afterAll(() => db.drop());

describe('subscriptions', () => {
  it('are created once, read back, and listed by owner newest first and all together', async () => {
    await store.createSubscription(
      aSubscription('s-1', { owner: 'o-1', createdAt: '2026-01-01T00:00:00.000Z' }),
    );
    await store.createSubscription(
      aSubscription('s-2', { owner: 'o-1', createdAt: '2026-01-02T00:00:00.000Z' }),
    );
    await store.createSubscription(aSubscription('s-3', { owner: 'o-2' }));
    await expect(store.createSubscription(aSubscription('s-1'))).rejects.toBeInstanceOf(
      NotificationConflictError,
    );

    expect((await store.getSubscription('s-1'))?.owner).toBe('o-1');
    expect(await store.getSubscription('nope')).toBeUndefined();
    expect((await store.listSubscriptions({ owner: 'o-1' })).map((s) => s.id)).toEqual(['s-2', 's-1']);
    expect((await store.listSubscriptions({ owner: 'o-3' })).length).toBe(0);
    expect((await store.listSubscriptions()).map((s) => s.id).sort()).toEqual(['s-1', 's-2', 's-3']);
  });

  it('confirm a pending one once; unsubscribing is idempotent and final', async () => {
    await store.createSubscription(aSubscription('s-p', { state: 'pending' }));
    const confirmed = await store.confirmSubscription('s-p', at('2026-01-06T00:00:00.000Z'));
    expect(confirmed).toMatchObject({ state: 'active', confirmedAt: '2026-01-06T00:00:00.000Z' });
    // A link clicked twice changes nothing.
    expect((await store.confirmSubscription('s-p', at('2026-01-07T00:00:00.000Z'))).confirmedAt).toBe(
      '2026-01-06T00:00:00.000Z',
    );
    const gone = await store.unsubscribe('s-p', at('2026-01-08T00:00:00.000Z'));
    expect(gone).toMatchObject({ state: 'unsubscribed', unsubscribedAt: '2026-01-08T00:00:00.000Z' });
    expect((await store.unsubscribe('s-p', at('2026-01-09T00:00:00.000Z'))).unsubscribedAt).toBe(
      '2026-01-08T00:00:00.000Z',
    );
    await expect(store.confirmSubscription('s-p', at('2026-01-10T00:00:00.000Z'))).rejects.toBeInstanceOf(
      NotificationConflictError,
    );
    await expect(store.unsubscribe('missing', at('2026-01-10T00:00:00.000Z'))).rejects.toBeInstanceOf(
      NotificationNotFoundError,
    );
  });

  it('unsubscribe racing confirm ends unsubscribed', async () => {
    await store.createSubscription(aSubscription('s-race', { state: 'pending' }));
    const moment = at('2026-01-06T00:00:00.000Z');
    await Promise.allSettled([
      store.confirmSubscription('s-race', moment),
      store.unsubscribe('s-race', moment),
    ]);
    expect((await store.getSubscription('s-race'))?.state).toBe('unsubscribed');
  });
});

describe('endpoints', () => {
  it('rotation keeps the old secret signing for the overlap, and at most two secrets', async () => {
    await store.createEndpoint(anEndpoint('e-1'));
    await expect(store.createEndpoint(anEndpoint('e-1'))).rejects.toBeInstanceOf(NotificationConflictError);
    const first = (await store.getEndpoint('e-1'))?.secrets[0]?.secret;
    const now = at('2026-02-01T00:00:00.000Z');
    const rotated = await store.rotateEndpointSecret('e-1', 'whsec_second', now);
    expect(rotated.secrets.map((s) => s.secret)).toEqual(['whsec_second', first]);
    expect(rotated.secrets[1]?.retiresAt).toBe(new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString());
    expect(signingSecrets(rotated, new Date(now.getTime() + SECRET_OVERLAP_MS - 1))).toEqual([
      'whsec_second',
      first,
    ]);
    expect(signingSecrets(rotated, new Date(now.getTime() + SECRET_OVERLAP_MS))).toEqual(['whsec_second']);

    const third = await store.rotateEndpointSecret('e-1', 'whsec_third', new Date(now.getTime() + 1000));
    expect(third.secrets.map((s) => s.secret)).toEqual(['whsec_third', 'whsec_second']);
    await expect(store.rotateEndpointSecret('nope', 'x', now)).rejects.toBeInstanceOf(
      NotificationNotFoundError,
    );
  });

  it('concurrent rotations and failures all land: none overwrites another', async () => {
    await store.createEndpoint(anEndpoint('e-2'));
    const now = at('2026-02-01T00:00:00.000Z');
    await Promise.all([
      store.rotateEndpointSecret('e-2', 'whsec_a', now),
      store.recordEndpointFailure('e-2', now),
      store.rotateEndpointSecret('e-2', 'whsec_b', now),
    ]);
    const endpoint = await store.getEndpoint('e-2');
    expect(endpoint?.failingSince).toBe(now.toISOString());
    expect(endpoint?.secrets.map((s) => s.secret).sort()).toEqual(['whsec_a', 'whsec_b']);
  });

  it('a failure run starts once; enabling clears it; listEndpoints has them all', async () => {
    await store.createEndpoint(anEndpoint('e-3'));
    await store.recordEndpointFailure('e-3', at('2026-02-01T00:00:00.000Z'));
    await store.recordEndpointFailure('e-3', at('2026-02-01T05:00:00.000Z'));
    expect((await store.getEndpoint('e-3'))?.failingSince).toBe('2026-02-01T00:00:00.000Z');
    const disabled = await store.setEndpointState('e-3', 'disabled', at('2026-02-02T01:00:00.000Z'));
    expect(disabled).toMatchObject({ state: 'disabled', disabledAt: '2026-02-02T01:00:00.000Z' });
    const enabled = await store.setEndpointState('e-3', 'active', at('2026-02-03T00:00:00.000Z'));
    expect(enabled.state).toBe('active');
    expect(enabled.failingSince).toBeUndefined();
    expect(enabled.disabledAt).toBeUndefined();
    expect((await store.listEndpoints()).map((e) => e.id)).toEqual(
      expect.arrayContaining(['e-1', 'e-2', 'e-3']),
    );
  });

  it('the delivery log reads newest first, page by page, without overlap or gap', async () => {
    await store.createEndpoint(anEndpoint('e-log'));
    const attempts = Array.from({ length: 7 }, (_, i) => ({
      endpointId: 'e-log',
      noticeId: `msg_${i}`,
      attempt: i + 1,
      // Two attempts share each instant: the order must still be total.
      at: new Date(Date.parse('2026-03-01T00:00:00.000Z') + Math.floor(i / 2) * 1000).toISOString(),
      outcome: i % 2 ? ('delivered' as const) : ('failed' as const),
      durationMs: 10,
    }));
    for (const attempt of attempts) await store.recordDeliveryAttempt(attempt);
    const seen: number[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const answer = await store.listDeliveries('e-log', { limit: 3, ...(before && { before }) });
      seen.push(...answer.attempts.map((a) => a.attempt));
      before = answer.before;
      if (!before) break;
    }
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect((await store.listDeliveries('e-none', { limit: 5 })).attempts).toEqual([]);
    // Odd limits and cursors read a first page, never an error.
    expect((await store.listDeliveries('e-log', { limit: Number.NaN })).attempts).toHaveLength(7);
    expect((await store.listDeliveries('e-log', { limit: 0, before: 'not-a-cursor' })).attempts).toHaveLength(
      1,
    );
  });
});

describe('outbox and transactions', () => {
  const notice = (id: string): Notice => ({
    id,
    subscriptionId: 's-1',
    createdAt: '2026-04-01T00:00:00.000Z',
    language: 'en',
    body: { kind: 'confirm_subscription' },
  });

  it('a notice is written once; a repeated transaction conflicts and changes nothing', async () => {
    const due = at('2026-04-01T00:00:00.000Z');
    const mention = {
      alert: { caseId: 'C-1042', kind: 'no_news' as const, since: '2026-01-01', days: 90 },
      groupId: null,
      raisedAt: due.toISOString(),
    };
    const parts = () => [
      store.parts.putNotice(notice('msg_once'), { kind: 'subscription' }, due),
      store.parts.putOpenAlert('s-1', mention),
    ];
    expect(await store.transact(parts())).toBe('written');
    expect(await store.transact(parts())).toBe('conflict');
    expect(await store.listOpenAlerts('s-1')).toEqual([mention]);
    // Resolved with the wrong life (another raisedAt) cancels; with the right one it goes.
    expect(await store.transact([store.parts.deleteOpenAlert('s-1', { ...mention, raisedAt: 'x' })])).toBe(
      'conflict',
    );
    expect(await store.transact([store.parts.deleteOpenAlert('s-1', mention)])).toBe('written');
    expect(await store.listOpenAlerts('s-1')).toEqual([]);
  });

  it('only one of two deliverers claims an attempt; booking needs the claim', async () => {
    const due = at('2026-04-01T00:00:00.000Z');
    await store.transact([store.parts.putNotice(notice('msg_claim'), { kind: 'subscription' }, due)]);
    expect(await store.dueNoticeIds(due)).toContain('msg_claim');
    const retryAt = at('2026-04-01T00:01:00.000Z');
    const claims = await Promise.all([
      store.claimAttempt('msg_claim', 0, retryAt),
      store.claimAttempt('msg_claim', 0, retryAt),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Claimed: not due until its retry time.
    expect(await store.dueNoticeIds(due)).not.toContain('msg_claim');
    expect(await store.dueNoticeIds(retryAt)).toContain('msg_claim');
    expect(await store.finishNotice('msg_claim', 0, { status: 'delivered', at: due })).toBe(false);
    expect(await store.finishNotice('msg_claim', 1, { status: 'delivered', at: due })).toBe(true);
    expect(await store.dueNoticeIds(at('2027-01-01T00:00:00.000Z'))).not.toContain('msg_claim');
    expect(await store.getNotice('msg_claim')).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await store.getNotice('msg_none')).toBeUndefined();
  });

  it('watch state changes only over the revision read', async () => {
    const read = await store.getWatch('s-w');
    expect(read).toEqual({ revision: 0 });
    expect(await store.transact([store.parts.putWatch('s-w', { baselineAt: 'b' }, read)])).toBe('written');
    expect(await store.transact([store.parts.putWatch('s-w', { baselineAt: 'c' }, read)])).toBe('conflict');
    expect(await store.getWatch('s-w')).toEqual({ baselineAt: 'b', revision: 1 });
  });
});

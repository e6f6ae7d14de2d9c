import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BrowserRuntime } from './browser-runtime.ts';

/** What a browser test of the record screens arranges and checks through the API itself, not the screens. */
export interface ArrangedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

async function call(target: BrowserRuntime, path: string, init: RequestInit, roles: string[]) {
  const token = await target.token(roles as Parameters<BrowserRuntime['token']>[0]);
  const response = await fetch(`${target.runtime.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  const body: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Opens an invented person's case (with a detention), and waits until the views show it. */
export async function arrangeCase(target: BrowserRuntime, caseId: string, groupId?: string): Promise<void> {
  await call(
    target,
    '/cases',
    {
      method: 'POST',
      body: JSON.stringify({
        caseId,
        subject: { name: `Invented Person ${caseId}`, nationality: 'Ruritania' },
        ...(groupId !== undefined && { groupId }),
        events: [
          {
            type: 'Detained',
            occurredAt: '2025-07-01',
            sources: [{ title: 'Arranged by the test' }],
            data: { place: 'Riverside' },
          },
        ],
      }),
    },
    ['recorder'],
  );
  await target.runtime.projected();
}

/** Every event of a case, as an auditor reads it. */
export async function eventsOf(target: BrowserRuntime, caseId: string): Promise<ArrangedEvent[]> {
  const page = (await call(target, `/cases/${encodeURIComponent(caseId)}/events?limit=1000`, {}, [
    'auditor',
  ])) as { events: ArrangedEvent[] };
  return page.events;
}

/** The ledger's version of a case: its last event's place. */
export async function versionOf(target: BrowserRuntime, caseId: string): Promise<number> {
  return (await eventsOf(target, caseId)).at(-1)?.version ?? 0;
}

/** The case view, as a viewer reads it. */
export async function viewOf(
  target: BrowserRuntime,
  caseId: string,
): Promise<{ pending: string[]; version: number }> {
  return (await call(target, `/cases/${encodeURIComponent(caseId)}`, {}, ['viewer'])) as {
    pending: string[];
    version: number;
  };
}

/** The messages the API left at a field: the control is marked invalid and described by them. */
export async function messagesAt(page: Page, label: string | RegExp): Promise<string> {
  const control = page.getByLabel(label, { exact: typeof label === 'string' });
  await expect.poll(() => control.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
  const described = (await control.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    described
      .split(' ')
      .filter((id) => id.endsWith('-error'))
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

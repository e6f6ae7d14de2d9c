import { DEMO_GROUP_ID, type DemoCase, type DemoEvent, demoCases, demoUpdates } from './demo-data.ts';

/** The API refused a demo request: the demo data or the API has a bug. The message carries the problem body. */
export class DemoRequestRefusedError extends Error {
  readonly code = 'demo_request_refused';
  constructor(request: string, status: number, body: string) {
    super(`The API refused ${request} with ${status}:\n${body}`);
    this.name = 'DemoRequestRefusedError';
  }
}

async function post(baseUrl: string, path: string, body: unknown, token: string): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    const text = await response.text();
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON: show it as it came.
    }
    throw new DemoRequestRefusedError(`POST ${path}`, response.status, pretty);
  }
  await response.body?.cancel();
}

function openCase(baseUrl: string, demo: DemoCase, token: string) {
  return post(
    baseUrl,
    '/cases',
    {
      caseId: demo.caseId,
      subject: demo.subject,
      groupId: DEMO_GROUP_ID,
      occurredAt: demo.openedAt,
      sources: [{ title: 'Case opened for the demo', publisher: 'detention-ledger demo (fictional)' }],
      events: demo.events,
    },
    token,
  );
}

function append(baseUrl: string, caseId: string, events: readonly DemoEvent[], token: string) {
  return post(baseUrl, `/cases/${encodeURIComponent(caseId)}/events`, { events }, token);
}

/**
 * Loads the invented demo group through the HTTP API, as a client would: opens every case with its first
 * events, then appends the later reports in order.
 *
 * `token` must carry the recorder role.
 *
 * @throws {DemoRequestRefusedError} when the API answers anything but 201.
 */
export async function loadDemoData(
  baseUrl: string,
  token: string,
): Promise<{ cases: number; requests: number }> {
  for (const demo of demoCases) await openCase(baseUrl, demo, token);
  for (const update of demoUpdates) await append(baseUrl, update.caseId, update.events, token);
  return { cases: demoCases.length, requests: demoCases.length + demoUpdates.length };
}

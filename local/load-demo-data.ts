import { DEMO_GROUP_ID, type DemoCase, type DemoData, type DemoEvent } from './demo-data.ts';
import { LocalError } from './local-error.ts';

/** The API refused a demo request: the demo data or the API has a bug. The message carries the problem body. */
export class DemoRequestRefusedError extends LocalError {
  readonly code = 'demo_request_refused';
  constructor(request: string, status: number, body: string) {
    super(`The API refused ${request} with ${status}:\n${body}`);
    this.name = 'DemoRequestRefusedError';
  }
}

/** Where the API is: a base URL, and how a request reaches it (over HTTP by default, or in-process). */
export interface DemoTarget {
  readonly baseUrl: string;
  readonly fetch?: (request: Request) => Promise<Response>;
}

async function post(target: DemoTarget, path: string, body: unknown, token: string): Promise<void> {
  const send = target.fetch ?? ((request: Request) => fetch(request));
  const response = await send(
    new Request(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
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

function openCase(target: DemoTarget, demo: DemoCase, token: string) {
  return post(
    target,
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

function append(target: DemoTarget, caseId: string, events: readonly DemoEvent[], token: string) {
  return post(target, `/cases/${encodeURIComponent(caseId)}/events`, { events }, token);
}

/**
 * Loads the invented demo group through the API, as a client would: opens every case with its first events,
 * then appends the later reports in order.
 *
 * `token` must carry the recorder role.
 *
 * @throws {DemoRequestRefusedError} when the API answers anything but 201.
 */
export async function loadDemoData(
  target: DemoTarget,
  token: string,
  data: DemoData,
): Promise<{ cases: number; requests: number }> {
  for (const demo of data.cases) await openCase(target, demo, token);
  for (const update of data.updates) await append(target, update.caseId, update.events, token);
  return { cases: data.cases.length, requests: data.cases.length + data.updates.length };
}

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerApp } from '../../functions/api/app.ts';
import type { TestTables } from './test-tables.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field in tests
  readonly body: any;
}

/** Calls the app in-process with `app.request()`; bodies that are not strings are sent as JSON. */
export function apiClient(app: LedgerApp) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json', ...headers };
    }
    const response = await app.request(path, init);
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      body: text && contentType?.includes('json') ? JSON.parse(text) : text,
    };
  };
}

/** How many items the ledger table holds: a bad request must leave it unchanged. */
export async function ledgerItemCount(db: TestTables): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.clients.documents.send(
      new ScanCommand({ TableName: db.tables.ledger, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

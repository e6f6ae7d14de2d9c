import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientResponse } from 'hono/client';
import { testClient } from 'hono/testing';
import type { LedgerApp } from '../../functions/api/app.ts';
import type { TestTables } from './test-tables.ts';
import { testToken } from './tokens.ts';

/** The bearer token tests call with: every role and the `pii` scope unless `token` says otherwise (`null`: none). */
function bearerOf(token: string | null | undefined): Promise<string | null> {
  return token !== undefined
    ? Promise.resolve(token)
    : testToken(['viewer', 'recorder', 'auditor', 'admin'], { subject: 'test-recorder', pii: true });
}

/**
 * The app as a client typed from its own routes (Hono's `testClient`): paths, parameters, queries, bodies and
 * the answers of each status are the app's types, so a test that calls a route wrongly does not compile.
 * Path parameters go into the URL as given, not escaped: an id that needs escaping goes through `rawRequest`.
 *
 * @example
 * ```ts
 * const client = await typedClient(services.app);
 * const answer = await client.cases[':caseId'].$get({ param: { caseId }, query: {}, header: {} });
 * if (answer.status === 200) expect((await answer.json()).version).toBe(4);
 * ```
 */
export async function typedClient(app: LedgerApp, token?: string | null) {
  const given = await bearerOf(token);
  return testClient(app, undefined, undefined, {
    headers: given === null ? {} : { authorization: `Bearer ${given}` },
  });
}

/**
 * The JSON a typed call's answer holds when it has `status`. Routes that can also answer text or a stream (by
 * `Accept`) type those answers as `string` or `Response`; their JSON body is what is left.
 */
export type JsonAt<R, S extends number> =
  R extends ClientResponse<infer T, infer U, infer _F>
    ? U extends S
      ? Exclude<T, string | Response>
      : never
    : never;

/**
 * The JSON body of a typed call's answer, typed as the route declares it for `status`. Throws when the answer
 * has another status, so a body is never read as the shape of a status it does not have.
 */
export async function jsonAt<
  R extends ClientResponse<unknown, number, 'json' | 'text'>,
  S extends R['status'],
>(answer: R, status: S): Promise<JsonAt<R, S>> {
  if (answer.status !== status) throw new Error(`expected status ${status}, answered ${answer.status}`);
  return (await answer.json()) as JsonAt<R, S>;
}

/** A typed call's answer read once: its status, headers and body, the body typed by the status beside it. */
export type Answered<R> =
  R extends ClientResponse<infer T, infer U, infer _F>
    ? { readonly status: U; readonly headers: Headers; readonly body: Exclude<T, Response> }
    : never;

/** Reads a typed call's answer: JSON bodies parsed, other bodies as text. */
export async function answered<R extends ClientResponse<unknown, number, 'json' | 'text'>>(
  call: R | Promise<R>,
): Promise<Answered<R>> {
  const answer = await call;
  const text = await answer.text();
  const contentType = answer.headers.get('content-type') ?? '';
  const body: unknown =
    text && /\bjson\b/.test(contentType) && !contentType.includes('ndjson') ? JSON.parse(text) : text;
  return { status: answer.status, headers: answer.headers, body } as Answered<R>;
}

/**
 * A request the app's types do not describe, sent as it is: hostile or malformed input, unknown routes and the
 * OpenAPI document. Carries a bearer token of every role with the `pii` scope unless `token` says otherwise
 * (`null`: none) or `init` sets `authorization`.
 */
export async function rawRequest(
  app: LedgerApp,
  path: string,
  init: RequestInit = {},
  token?: string | null,
): Promise<Response> {
  const given = await bearerOf(token);
  const headers = new Headers(init.headers);
  if (given !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${given}`);
  return app.request(path, { ...init, headers });
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

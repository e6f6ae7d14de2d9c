/**
 * Who may call what, as plain data: the API's middleware, its OpenAPI document, the access-matrix test and the
 * web application (which offers only what the signed-in roles allow) all read this one table. It imports
 * nothing but the role names, so the browser bundle can hold it.
 */
import type { Role } from './principal.ts';

/**
 * Routes anyone may call: liveness, the API's own description, the transparency log (hashes and sizes only), and the links of notification emails, where the
 * signed token in the body (or, for RFC 8058 one-click, the query) is the authority, not a sign-in.
 */
export const PUBLIC_ROUTES = [
  'GET /health',
  'GET /openapi.json',
  // The transparency log shows hashes and sizes only (docs/log.md): anyone may check it.
  'GET /log/checkpoint',
  'GET /log/key',
  'GET /log/proof/consistency',
  'POST /subscriptions/confirm',
  'POST /subscriptions/unsubscribe',
] as const;

/** Paths under which every GET is public: the log's tiles and entry bundles, hashes only. */
export const PUBLIC_PATH_PREFIXES = ['GET /log/tile/'] as const;

const readers = ['viewer', 'auditor', 'admin'] as const satisfies readonly Role[];
const recorders = ['recorder', 'admin'] as const satisfies readonly Role[];
const auditors = ['auditor', 'admin'] as const satisfies readonly Role[];
const admins = ['admin'] as const satisfies readonly Role[];

/**
 * Who may call what: one table, read by each route's middleware, by the OpenAPI
 * document and by the test matrix that tries every route with every role. A caller needs one of the roles.
 *
 * - viewers read the status views, summaries and alerts (personal data only with the `pii` scope);
 * - recorders open cases and append events;
 * - auditors read histories, the audit feed, verifications, digests and proofs, and use `knownAt`;
 * - admins may do everything, and only they erase a case's personal data;
 * - readers subscribe to notices by email (recorders, who only write, are not told what others record); only
 *   admins manage webhook endpoints and subscribe them.
 */
export const ROUTE_ROLES = {
  'POST /cases': recorders,
  'POST /cases/{caseId}/events': recorders,
  'POST /groups/{groupId}/events': recorders,
  'GET /cases': readers,
  'GET /cases.csv': readers,
  'GET /cases/{caseId}': readers,
  'GET /summary': readers,
  'GET /summary/series': readers,
  'GET /groups': readers,
  'GET /alerts': readers,
  'GET /cases/{caseId}/events': auditors,
  'GET /cases/{caseId}/events.ndjson': auditors,
  'GET /audit': auditors,
  'GET /cases/{caseId}/verify': auditors,
  'GET /ledger/digest': auditors,
  'POST /ledger/digest': auditors,
  'GET /cases/{caseId}/proof': auditors,
  // An event id is not public: who holds one knows of a case.
  'GET /log/proof/inclusion': auditors,
  'POST /cases/{caseId}/erase': admins,
  'GET /subscriptions': readers,
  'POST /subscriptions': readers,
  'GET /subscriptions/{id}': readers,
  'DELETE /subscriptions/{id}': readers,
  'GET /webhook-endpoints': admins,
  'POST /webhook-endpoints': admins,
  'GET /webhook-endpoints/{id}': admins,
  'POST /webhook-endpoints/{id}/rotate-secret': admins,
  'POST /webhook-endpoints/{id}/enable': admins,
  'POST /webhook-endpoints/{id}/disable': admins,
  'GET /webhook-endpoints/{id}/deliveries': admins,
} as const satisfies Record<string, readonly Role[]>;

export type RouteKey = keyof typeof ROUTE_ROLES;

/** What the ledger knew at a past moment is the auditor's question: `knownAt` needs one of these roles. */
export const KNOWN_AT_ROLES = auditors;

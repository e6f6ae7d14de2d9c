/**
 * Who may call what, as plain data: the API's middleware, its OpenAPI document, the access-matrix test and the
 * web application (which offers only what the signed-in roles allow) all read this one table. It imports
 * nothing but the role names, so the browser bundle can hold it.
 */
import type { Role } from './principal.ts';

/** Routes anyone may call: liveness and the API's own description. */
export const PUBLIC_ROUTES = ['GET /health', 'GET /openapi.json'] as const;

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
 * - admins may do everything, and only they erase a case's personal data.
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
  'POST /cases/{caseId}/erase': admins,
} as const satisfies Record<string, readonly Role[]>;

export type RouteKey = keyof typeof ROUTE_ROLES;

/** What the ledger knew at a past moment is the auditor's question: `knownAt` needs one of these roles. */
export const KNOWN_AT_ROLES = auditors;

import type { Role } from '../../../functions/api/auth/principal.ts';
import { type Problem, ProblemError, UnreachableError } from './problem.ts';

export interface LocalSignInRequest {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly pii: boolean;
}

/**
 * Asks the local runtime for a short-lived token. This is the one call outside the generated client: the route
 * belongs to the local runtime (on loopback only), not to the API that Lambda serves and documents.
 */
export async function localSignIn(request: LocalSignInRequest): Promise<string> {
  let response: Response;
  try {
    response = await fetch('/local/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (cause) {
    throw new UnreachableError({ cause });
  }
  const body = (await response.json().catch(() => undefined)) as { token?: string } | Problem | undefined;
  if (!response.ok || body === undefined || !('token' in body) || typeof body.token !== 'string') {
    const problem =
      body && 'status' in body
        ? body
        : { type: 'about:blank', title: response.statusText, status: response.status, detail: '' };
    throw new ProblemError(problem);
  }
  return body.token;
}

import { z } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import type { ApiDependencies } from '../app-env.ts';
import { eventsFor } from '../auth/personal-data.ts';
import type { Principal } from '../auth/principal.ts';
import type { ShownEvent } from '../event-answer-schemas.ts';
import { pageCursor } from '../page-cursor.ts';

/** The longest range one audit query may span: each day that holds events is one query per shard. */
export const MAX_AUDIT_DAYS = 366;

/**
 * What an audit cursor carries: where to continue, and the end of the range as the first page resolved it, so
 * a feed asked without `to` keeps the bound of its first page ("now" then) on every later page.
 */
const auditResumeSchema = z.strictObject({ to: z.iso.datetime(), after: z.string().min(1) });

function resumeOf(decoded: string | number): z.output<typeof auditResumeSchema> {
  let parsed: unknown;
  try {
    parsed = typeof decoded === 'string' ? JSON.parse(decoded) : undefined;
  } catch {
    parsed = undefined;
  }
  const resume = auditResumeSchema.safeParse(parsed);
  if (!resume.success) {
    throw new ValidationError([
      { path: 'cursor', message: 'is from an older version: list again from the first page' },
    ]);
  }
  return resume.data;
}

export interface AuditPageRequest {
  readonly from: Date;
  readonly to?: Date | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of every event recorded from `from` to `to` (now, on the first page, when left out), across cases. */
export async function auditPage(
  deps: Pick<ApiDependencies, 'audit' | 'subjects' | 'cursors' | 'clock'>,
  principal: Principal,
  { from, to: sentTo, limit, cursor }: AuditPageRequest,
): Promise<{ events: ShownEvent[]; nextCursor?: string }> {
  // The cursor belongs to the query as the caller sent it; a `to` left out is resolved once, on the first page.
  const pages = pageCursor(deps.cursors, ['audit', from.toISOString(), sentTo?.toISOString() ?? null]);
  const decoded = pages.resume(cursor);
  const resume = decoded === undefined ? undefined : resumeOf(decoded);
  const to = resume ? new Date(resume.to) : (sentTo ?? deps.clock());
  if (to.getTime() < from.getTime()) {
    throw new ValidationError([{ path: 'to', message: 'must not be before from' }]);
  }
  if (to.getTime() - from.getTime() > MAX_AUDIT_DAYS * 86_400_000) {
    throw new ValidationError([{ path: 'to', message: `at most ${MAX_AUDIT_DAYS} days after from` }]);
  }
  const page = await deps.audit.page({ from, to, limit, ...(resume && { after: resume.after }) });
  const next =
    page.continueAfter === undefined
      ? undefined
      : JSON.stringify({ to: to.toISOString(), after: page.continueAfter });
  return { events: await eventsFor(principal, page.events, deps.subjects), ...pages.next(next) };
}

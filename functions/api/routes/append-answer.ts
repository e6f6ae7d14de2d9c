import type { Context } from 'hono';
import type { AppendResult } from '../../store/ledger-store.ts';
import type { AppEnv } from '../app-env.ts';
import { eventsFor, type SubjectReader } from '../auth/personal-data.ts';

/**
 * The answer to an append (an opening included): the new version as ETag, `idempotent-replayed` on a retry
 * that stored nothing, and the events as the caller may see them.
 */
export async function appendAnswer(c: Context<AppEnv>, subjects: SubjectReader, result: AppendResult) {
  c.header('etag', `"${result.version}"`);
  if (result.replayed) c.header('idempotent-replayed', 'true');
  const events = await eventsFor(c.get('principal'), result.events, subjects);
  return { caseId: result.caseId, version: result.version, events };
}

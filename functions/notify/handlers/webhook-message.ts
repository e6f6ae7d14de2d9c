/**
 * What the notifier puts on the webhook queue: the id of a notice, never the notice. The notice stays in the
 * notifications table, where its delivery state is kept; a message read by someone else tells them nothing.
 */
const NOTICE_ID = /^[\w.:#-]{1,256}$/;

/** The body of the message that asks for a notice to be delivered. */
export function webhookMessageBody(noticeId: string): string {
  if (!NOTICE_ID.test(noticeId)) throw new TypeError(`not a notice id: ${JSON.stringify(noticeId)}`);
  return JSON.stringify({ noticeId });
}

/** The notice id a message asks for; `undefined` for a body the notifier did not write. */
export function noticeIdOf(body: string): string | undefined {
  if (body.length > 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { noticeId } = parsed as { noticeId?: unknown };
    return typeof noticeId === 'string' && NOTICE_ID.test(noticeId) ? noticeId : undefined;
  } catch {
    return undefined;
  }
}

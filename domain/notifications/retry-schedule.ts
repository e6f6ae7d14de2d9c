/**
 * When a failed delivery is tried again: one minute after the first attempt, doubling with each attempt, never
 * more than an hour apart. Deterministic from the attempt number, so a run repeated schedules the same.
 */
export const RETRY_BASE_MS = 60_000;
export const RETRY_CAP_MS = 60 * 60_000;

/** How long after attempt `attempt` (1 for the first) the next is due. */
export function retryDelayMs(attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^6 minutes already passes the cap; beyond, avoid huge powers.
  return exponent >= 6 ? RETRY_CAP_MS : Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** exponent);
}

/** Emails are given up after this many attempts (about a day at the cap); webhooks until their endpoint is disabled. */
export const MAX_EMAIL_ATTEMPTS = 30;

/** The first wait before a failing webhook delivery is tried again. */
const FIRST_DELAY_SECONDS = 60;
/** The longest SQS lets a message stay hidden. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;

/**
 * How long a webhook delivery that failed on its `receiveCount`-th receive waits before the next: a minute,
 * then three times longer each time (1, 3, 9, 27, 81, 243, 729 minutes), at most 12 hours. Eight tries so
 * spread over about 18 hours, so a receiver down for a night still gets its notices, while one that is gone
 * for good stops being called well within the day after which its endpoint is disabled.
 */
export function retryDelaySeconds(receiveCount: number): number {
  const tries = Math.max(1, Math.floor(receiveCount));
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 3 ** (tries - 1));
}

/**
 * What the digest function is invoked with, as plain data the CDK stack imports too. The daily schedule sends
 * EventBridge's own event (anything else): take a digest. The continuing schedule sends `CONTINUE_ONLY`:
 * continue a run that an earlier invocation saved when it ran out of time, and do nothing when there is none.
 */
export const CONTINUE_ONLY = { continueOnly: true } as const;

/** How often the continuing schedule invokes the function: longer than one invocation may run (15 minutes). */
export const CONTINUE_EVERY_MINUTES = 20;

export function isContinueOnly(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { continueOnly?: unknown }).continueOnly === true
  );
}

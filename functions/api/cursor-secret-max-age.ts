/**
 * How long an API instance signs with the cursor key it read before asking Secrets Manager again: a new value
 * put into the secret reaches every instance within this time, and a busy instance asks once per period, not
 * per request. Its own module, so the CDK app can say it without loading the function's code.
 */
export const CURSOR_SECRET_MAX_AGE_SECONDS = 300;

import { LocalError } from './local-error.ts';

/**
 * The errors of a connection that never got an answer — nothing listens, no such host, no route, no reply —
 * each with what it means in words.
 */
const MEANING: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'no route to that host',
  ENETUNREACH: 'no route to that network',
  ECONNRESET: 'the connection was closed before an answer',
};

/** The network error code behind an SDK failure, also when Node tried several addresses (an AggregateError). */
export function networkErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const own = (error as NodeJS.ErrnoException).code;
  const first = error instanceof AggregateError ? error.errors[0] : undefined;
  const code = own ?? (first instanceof Error ? (first as NodeJS.ErrnoException).code : undefined);
  return code !== undefined && Object.hasOwn(MEANING, code) ? code : undefined;
}

/** `DYNAMODB_ENDPOINT` names a DynamoDB that does not answer: says what was tried and what to do. */
export class DynamoDBUnreachableError extends LocalError {
  readonly code = 'dynamodb_unreachable';
  constructor(
    readonly endpoint: string,
    readonly networkCode: string,
    options?: ErrorOptions,
  ) {
    super(
      `Cannot reach DynamoDB at ${endpoint}, the DYNAMODB_ENDPOINT you set ` +
        `(${networkCode}: ${MEANING[networkCode]}).\n` +
        'Start that DynamoDB first, correct DYNAMODB_ENDPOINT (e.g. http://127.0.0.1:8000), ' +
        'or unset it and npm start launches DynamoDB Local itself.',
      options,
    );
    this.name = 'DynamoDBUnreachableError';
  }
}

import { networkErrorCode } from '../dynamodb-unreachable.ts';
import { isUserFacingError } from '../user-facing-errors.ts';
import { type CliTarget, describeTarget, NoLedgerFoundError } from './cli-config.ts';
import { CommandFailure, EXIT } from './cli-errors.ts';

export interface Explanation {
  /** What to print on stderr: what went wrong and, where it helps, what to do. */
  readonly message: string;
  readonly exitCode: number;
  /** `true` for errors nobody put into words: `--debug` prints their stack trace. */
  readonly unexpected: boolean;
}

const AWS_ACCESS_ERRORS = new Set([
  'UnrecognizedClientException',
  'AccessDeniedException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
]);

function where(target: CliTarget | undefined): string {
  return target === undefined ? 'DynamoDB' : describeTarget(target).replace(/^ledger: /, '');
}

function explainAws(error: Error, target: CliTarget | undefined): string | undefined {
  const code = networkErrorCode(error);
  if (code !== undefined) {
    return target?.via === 'local-runtime'
      ? `Cannot reach the local runtime's DynamoDB Local at ${target.connection.endpoint} (${code}): is npm start still running?`
      : `Cannot reach ${where(target)} (${code}).`;
  }
  if (error.name === 'ResourceNotFoundException') {
    const tables = target ? `${target.tables.ledger} or ${target.tables.views}` : 'ledger or views';
    return `Table ${tables} does not exist at ${where(target)}: set LEDGER_TABLE and VIEWS_TABLE to the tables of the ledger (npm start creates them locally).`;
  }
  if (error.name === 'CredentialsProviderError') {
    return `No AWS credentials: set AWS_PROFILE or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables (${error.message}).`;
  }
  if (/Region is missing/i.test(error.message)) {
    return 'No AWS region: set AWS_REGION, or DYNAMODB_ENDPOINT for a DynamoDB that is not on AWS.';
  }
  if (AWS_ACCESS_ERRORS.has(error.name)) return `AWS refused the request (${error.name}): ${error.message}`;
  if (error.name === 'ProvisionedThroughputExceededException' || error.name === 'ThrottlingException') {
    return `DynamoDB is throttling the requests (${error.name}): try again later, or with a lower --concurrency.`;
  }
  if (error.name === 'InternalServerError' && /waiting for a lock/i.test(error.message)) {
    return `DynamoDB Local timed out waiting for a lock (${error.message}): try again with a lower --concurrency.`;
  }
  if (code === 'EPIPE') return 'The output was closed before the command finished.';
  return undefined;
}

/**
 * Turns whatever a command threw into one clear message and an exit code: configuration and set-up problems
 * (no ledger found, DynamoDB unreachable, a missing table, no AWS credentials) say what to fix, without a stack
 * trace; failures the command described itself keep their message and code; anything else is reported by name
 * and message, and is `unexpected`.
 */
export function explainFailure(error: unknown, target?: CliTarget): Explanation {
  if (error instanceof CommandFailure) {
    return { message: error.message, exitCode: error.exitCode, unexpected: false };
  }
  if (error instanceof NoLedgerFoundError || isUserFacingError(error)) {
    return { message: error.message, exitCode: EXIT.failed, unexpected: false };
  }
  if (error instanceof Error) {
    const known = explainAws(error, target);
    if (known !== undefined) return { message: known, exitCode: EXIT.failed, unexpected: false };
    return {
      message: `Failed: ${error.name}: ${error.message} (--debug shows where)`,
      exitCode: EXIT.failed,
      unexpected: true,
    };
  }
  return { message: `Failed: ${String(error)}`, exitCode: EXIT.failed, unexpected: true };
}

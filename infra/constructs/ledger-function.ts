import path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '../../functions/lambda-bundle.ts';
import { REPO_ROOT } from '../function-entries.ts';

/**
 * The newest Node.js runtime aws-cdk-lib offers. Named, not `NODEJS_LATEST`, so that a CDK upgrade never
 * changes the runtime unseen; a test fails when a newer one appears, as a reminder to move.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** The service name in every structured log line. */
export const SERVICE_NAME = 'detention-ledger';

/** The shared bundle settings' format, as `NodejsFunction` names it. */
const OUTPUT_FORMATS = { esm: OutputFormat.ESM, cjs: OutputFormat.CJS } as const;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** How a function logs: the same for every function of the stack. */
export interface LedgerFunctionLogging {
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
}

export interface LedgerFunctionProps extends LedgerFunctionLogging {
  /** Absolute path of the entry point, a `.ts` file exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Variables besides the shared ones (source maps, service name, log level). */
  readonly environment: Record<string, string>;
  /** Instances reserved for the function, and its ceiling; unset: it shares the account's pool. */
  readonly reservedConcurrency?: number;
}

/**
 * A function of the ledger: ARM64 on the newest Node.js runtime, bundled locally by esbuild (no Docker) into a
 * minified ES module with a source map, writing structured JSON logs to its own log group with a retention
 * period. Its role starts empty but for writing those logs: no AWS-managed policy, every other permission is
 * granted by name.
 */
export class LedgerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LedgerFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs: ${props.description}`,
    });
    this.logGroup.grantWrite(role);
    this.role = role;

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrency,
      }),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        // Powertools' level follows Lambda's; set both so neither warns about the other.
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: OUTPUT_FORMATS[LAMBDA_BUNDLE.format],
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        bundleAwsSDK: LAMBDA_BUNDLE.bundleAwsSDK,
        tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
      },
    });
  }
}

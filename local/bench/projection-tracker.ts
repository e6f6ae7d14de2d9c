import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LocalError } from '../local-error.ts';
import { readVersions } from './read-versions.ts';

export interface ProjectionTrackerOptions {
  readonly documents: DynamoDBDocumentClient;
  /** The views table the system's projector writes. */
  readonly tableName: string;
  readonly pollMs?: number;
}

/** The projector had not caught up when the time was up. */
export class ProjectionTimeoutError extends LocalError {
  readonly code = 'projection_timeout';
  constructor(behind: number, timeoutMs: number) {
    super(`${behind} case views were still behind their ledger after ${timeoutMs} ms`);
    this.name = 'ProjectionTimeoutError';
  }
}

/**
 * Knows the newest version the benchmark has appended to each case, and waits until the views show them all:
 * how the benchmark lets the system's projector (in the runtime's own process) catch up between rounds, so no
 * round pays for the backlog of the one before.
 */
export class ProjectionTracker {
  readonly #options: ProjectionTrackerOptions;
  /** Versions appended and not yet seen in the views, by case. */
  readonly #behind = new Map<string, number>();

  constructor(options: ProjectionTrackerOptions) {
    this.#options = options;
  }

  /** An append to `caseId` was acknowledged at `version`. */
  note(caseId: string, version: number): void {
    if (version > (this.#behind.get(caseId) ?? 0)) this.#behind.set(caseId, version);
  }

  /** Resolves once every noted version shows in the views. */
  async caughtUp(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#behind.size > 0) {
      await this.#look();
      if (this.#behind.size === 0) return;
      if (Date.now() > deadline) throw new ProjectionTimeoutError(this.#behind.size, timeoutMs);
      await sleep(this.#options.pollMs ?? 25);
    }
  }

  async #look(): Promise<void> {
    const { documents, tableName } = this.#options;
    const versions = await readVersions(documents, tableName, [...this.#behind.keys()]);
    for (const [caseId, version] of versions) {
      if (version >= (this.#behind.get(caseId) ?? Number.POSITIVE_INFINITY)) this.#behind.delete(caseId);
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readAttributes } from './read-versions.ts';

export interface LagWatcherOptions {
  readonly documents: DynamoDBDocumentClient;
  /** A table keyed by `caseId` whose items carry the `version` they show: the views, or the raw marks. */
  readonly tableName: string;
  /** The attribute that says when the item was made to show its version. */
  readonly madeAtAttribute: string;
  /** Reads the moment (epoch ms) from that attribute. */
  readonly madeAt: (value: unknown) => number;
  /** How long to wait between looks. */
  readonly pollMs: number;
}

interface Awaited {
  readonly version: number;
  /** `Date.now()` when the write it waits for was acknowledged. */
  readonly since: number;
}

/**
 * Measures how long after a write was acknowledged an item came to show its version, from the moment the item
 * itself records (the projector's `projectedAt`, the raw reader's `markedAt`: taken just before the item is
 * written), so the figure does not depend on how often the watcher looks — it can look rarely, and leave
 * DynamoDB Local to the system it measures. A version whose item already shows a later one when looked at is
 * timed by that later one (`overtaken`): exact when one projection brought both, as under a backlog, and at
 * worst too long, never too short. Both clocks are this machine's wall clock.
 */
export class LagWatcher {
  readonly #options: LagWatcherOptions;
  readonly #awaited = new Map<string, Awaited[]>();
  readonly #lags: number[] = [];
  #overtaken = 0;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: LagWatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Wait for `caseId` to show `version`, acknowledged at `since` (epoch ms). */
  expect(caseId: string, version: number, since: number): void {
    const list = this.#awaited.get(caseId) ?? [];
    list.push({ version, since });
    this.#awaited.set(caseId, list);
  }

  /** Lags measured so far, in milliseconds. */
  get lags(): readonly number[] {
    return this.#lags;
  }

  /** Versions timed by a later version their item already showed when looked at. */
  get overtaken(): number {
    return this.#overtaken;
  }

  /** Waits until nothing is awaited or the time is up; how many versions never showed up. */
  async drain(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.#awaited.size > 0 && Date.now() < deadline && !signal?.aborted) {
      await sleep(this.#options.pollMs);
    }
    return [...this.#awaited.values()].reduce((count, list) => count + list.length, 0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      if (this.#awaited.size > 0) await this.#look();
      await sleep(this.#options.pollMs);
    }
  }

  async #look(): Promise<void> {
    const { documents, tableName, madeAtAttribute, madeAt } = this.#options;
    const items = await readAttributes(
      documents,
      tableName,
      [...this.#awaited.keys()],
      ['version', madeAtAttribute],
    );
    for (const [caseId, item] of items)
      this.#seen(caseId, Number(item.version), madeAt(item[madeAtAttribute]));
  }

  #seen(caseId: string, version: number, madeAt: number): void {
    const list = this.#awaited.get(caseId);
    if (!list) return;
    const waiting = list.filter((entry) => {
      if (entry.version > version) return true;
      // Shown before the answer reached the writer: it was there as soon as the writer could look.
      this.#lags.push(Math.max(0, madeAt - entry.since));
      if (entry.version < version) this.#overtaken += 1;
      return false;
    });
    if (waiting.length === 0) this.#awaited.delete(caseId);
    else this.#awaited.set(caseId, waiting);
  }
}

interface IdleWaiter {
  readonly epoch: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The callers of the poller's `idle()`, each waiting for the epoch it opened. Every call opens a new epoch; a
 * waiter is settled once the poller proves it idle through that epoch, that is by reads and a shard listing
 * that all started after the call, so a record written before `idle()` cannot slip past it.
 */
export class IdleWaiters {
  readonly #waiting = new Set<IdleWaiter>();
  #epoch = 0;

  /** The current epoch: the number of `idle()` calls so far. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Opens a new epoch and waits for it. */
  wait(): Promise<void> {
    this.#epoch += 1;
    const epoch = this.#epoch;
    return new Promise<void>((resolve, reject) => this.#waiting.add({ epoch, resolve, reject }));
  }

  /** Resolves every waiter whose epoch `isIdleThrough` now confirms. */
  settle(isIdleThrough: (epoch: number) => boolean): void {
    for (const waiter of this.#waiting) {
      if (!isIdleThrough(waiter.epoch)) continue;
      this.#waiting.delete(waiter);
      waiter.resolve();
    }
  }

  /** Rejects every waiter still waiting, each with its own error saying `message`. */
  rejectAll(message: string): void {
    for (const waiter of this.#waiting) waiter.reject(new Error(message));
    this.#waiting.clear();
  }
}

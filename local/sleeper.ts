/**
 * Timers that can be cut short: `wake()` ends the sleeps that asked to be wakeable (a poll interval, so that a
 * caller waiting for progress need not wait it out), `cancelAll()` ends every sleep (on stop).
 */
export class Sleeper {
  readonly #pending = new Map<() => void, boolean>();

  /** Resolves after `ms`, or earlier on `wake()` (when `wakeable`) or `cancelAll()`. */
  sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#pending.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#pending.set(finish, wakeable);
    });
  }

  wake(): void {
    for (const [finish, wakeable] of [...this.#pending]) if (wakeable) finish();
  }

  cancelAll(): void {
    for (const finish of [...this.#pending.keys()]) finish();
  }
}

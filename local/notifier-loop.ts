import { describeError, type Logger } from './json-lines-logger.ts';

export interface NotifierLoopOptions {
  /** One notifier pass as of `now`. */
  readonly run: (now: Date) => Promise<unknown>;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export interface NotifierLoop {
  /** Runs a pass now (after the one in hand, if any) and resolves when it is done; never rejects. */
  runNow(): Promise<void>;
  /** No pass starts after this; resolves once the pass in hand has finished. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * The local runtime's stand-in for the notifier's EventBridge schedule: a pass every interval, one at a time.
 * A pass that fails is logged and the next interval tries again, as the next scheduled invocation would on
 * AWS; nothing a pass throws stops the runtime. The first pass runs at once, so a person trying it sees
 * their confirmation email without waiting a minute.
 */
export function startNotifierLoop(options: NotifierLoopOptions): NotifierLoop {
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inHand: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      await options.run(clock());
    } catch (error) {
      options.logger({
        level: 'error',
        message: 'notifier run failed; it runs again at the next interval',
        error: describeError(error),
      });
    }
  };
  const runNow = () => {
    inHand = inHand.then(() => (stopped ? undefined : pass()));
    return inHand;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().then(schedule);
    }, options.intervalMs);
    // The loop alone must not keep the process alive.
    timer.unref();
  };
  void runNow().then(schedule);

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inHand;
    },
  };
}

/** How often a runtime checks that whoever started it (npm, tsx, a terminal) is still there. */
const PARENT_CHECK_MS = 1_000;

/**
 * Stops the runtime on SIGINT or SIGTERM and exits 0 once everything is down. A second signal while stopping
 * exits 1 at once: whoever sends it does not want to wait (the `exit` hook still kills DynamoDB Local).
 *
 * It also stops when its parent process is gone: `npm start` runs it under `tsx`, and a parent killed without
 * a chance to pass a signal on (kill -9 of npm or tsx, a closed IDE) would otherwise leave the runtime and its
 * DynamoDB Local running with nobody to stop them.
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void = console.log): void {
  let stopping = false;
  const stopNow = (why: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${why}: stopping…`);
    void stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stopNow('SIGINT'));
  process.on('SIGTERM', () => stopNow('SIGTERM'));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent && !stopping) stopNow(`the parent process (pid ${parent}) is gone`);
  }, PARENT_CHECK_MS);
  watch.unref();
}

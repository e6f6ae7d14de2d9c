/**
 * Stops the runtime on SIGINT or SIGTERM and exits 0 once everything is down. A second signal while stopping
 * exits 1 at once: whoever sends it does not want to wait (the `exit` hook still kills DynamoDB Local).
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void = console.log): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: stopping…`);
    void stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

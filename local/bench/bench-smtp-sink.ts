import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback (port 0) that counts what it accepts and when, for the notify family: the
 * notifier's own SMTP transport sends to it, so an email's lag ends when a mail server has taken it.
 */
export interface BenchSmtpSink {
  /** `smtp://127.0.0.1:<port>`, for the notifier's SMTP transport. */
  readonly url: string;
  /** Messages accepted so far. */
  received(): number;
  /** `performance.now()` when the last message so far was accepted; `undefined` before any. */
  lastReceivedAt(): number | undefined;
  /** Resolves once `count` messages have been accepted in all; rejects after `timeoutMs` without them. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchSmtpSink(): Promise<BenchSmtpSink> {
  let count = 0;
  let lastAt: number | undefined;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: what TLS would add is the mail server's cost, not the notifier's.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection: seen to take about 100 ms a message, the sink's cost, not the notifier's.
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      // The body is read to its end (a server must take the whole message) and dropped: only the count matters.
      stream.on('data', () => {});
      stream.on('end', () => {
        count += 1;
        lastAt = performance.now();
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => count,
    lastReceivedAt: () => lastAt,
    waitFor(wanted, timeoutMs) {
      if (count >= wanted) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`the SMTP sink received ${count} of ${wanted} emails within ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = () => {
          if (count < wanted) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

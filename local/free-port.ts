import { createServer } from 'node:net';

/**
 * Finds a TCP port that is free right now, by letting the OS pick one. Without `host` the probe binds every
 * interface, so a port taken on any interface is never returned (whatever address its holder bound).
 *
 * The port is released before it is returned, so another process could take it in between; callers that
 * launch a server on it should be ready to try again.
 *
 * @example
 * ```ts
 * const port = await findFreePort();
 * ```
 */
export function findFreePort(host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, ...(host !== undefined && { host }) }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port the OS assigned'));
        return;
      }
      server.close((error) => (error ? reject(error) : resolve(address.port)));
    });
  });
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A second network namespace joined to this one by a veth pair, so a test can connect to this machine the way
 * another host on the network would: from an address that is not loopback, to the host end's address. The
 * addresses are private ones chosen here, on these two veth ends only; nothing is sent anywhere else.
 */
export interface NetworkNamespace {
  /** This machine's address as the namespace sees it: the host end of the veth pair. */
  readonly hostAddress: string;
  /** Connects from inside the namespace to `hostAddress:port`: `connected`, or the error code (`ECONNREFUSED`). */
  connectToHost(port: number): Promise<string>;
  remove(): Promise<void>;
}

/** Why a namespace cannot be made here (not root, no iproute2, a sandbox without CAP_SYS_ADMIN), or `undefined`. */
export async function namespaceUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  const probe = `ledger-probe-${process.pid}`;
  try {
    await exec('ip', ['netns', 'add', probe]);
    await exec('ip', ['netns', 'delete', probe]);
    return undefined;
  } catch (error) {
    return `\`ip netns add\` is not permitted here: ${(error as Error).message.split('\n')[0]}`;
  }
}

const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(10000);
socket.on('connect', () => { console.log('connected'); socket.destroy(); });
socket.on('timeout', () => { console.log('timeout'); socket.destroy(); });
socket.on('error', (error) => console.log(error.code));
`;

export async function createNetworkNamespace(): Promise<NetworkNamespace> {
  // Names and a /30 of 10.213.0.0/16 from the pid, so two test processes at once do not collide.
  const tag = process.pid % 10_000;
  const name = `ledger-t${tag}`;
  const hostEnd = `vlh${tag}`;
  const peerEnd = `vln${tag}`;
  const third = Math.floor(tag / 64) % 256;
  const fourth = (tag % 64) * 4;
  const hostAddress = `10.213.${third}.${fourth + 1}`;
  const peerAddress = `10.213.${third}.${fourth + 2}`;
  const inside = (...args: string[]) => exec('ip', ['netns', 'exec', name, ...args]);
  const remove = async () => {
    await exec('ip', ['netns', 'delete', name]).catch(() => undefined);
    await exec('ip', ['link', 'delete', hostEnd]).catch(() => undefined);
  };
  await remove();
  try {
    await exec('ip', ['netns', 'add', name]);
    await exec('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', peerEnd]);
    await exec('ip', ['link', 'set', peerEnd, 'netns', name]);
    await exec('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
    await exec('ip', ['link', 'set', hostEnd, 'up']);
    await inside('ip', 'addr', 'add', `${peerAddress}/30`, 'dev', peerEnd);
    await inside('ip', 'link', 'set', peerEnd, 'up');
    await inside('ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    hostAddress,
    async connectToHost(port) {
      const { stdout } = await inside(process.execPath, '-e', PROBE, hostAddress, String(port));
      return stdout.trim();
    },
    remove,
  };
}

import { readFileSync } from 'node:fs';

/** CPU time used so far by each of a set of processes, in milliseconds, by name. */
export type CpuSampler = () => Readonly<Record<string, number>>;

/** The name under which a sampler reports the benchmark's own process. */
export const CLIENT = 'client';

/** Linux's clock tick for `/proc/<pid>/stat` times: 100 a second on every architecture Node.js supports. */
const TICKS_PER_SECOND = 100;

/**
 * User plus system CPU time of a process, in milliseconds, from `/proc/<pid>/stat` (Linux only); `undefined`
 * when it cannot be read (another system, or the process is gone).
 */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}

/**
 * A sampler of this process (`client`, the benchmark's own load and raw calls) and of the given others, so a
 * measurement can say where the CPU of each operation went. Processes whose time cannot be read are left out.
 */
export function cpuSampler(others: Readonly<Record<string, number>>): CpuSampler {
  return () => {
    const own = process.cpuUsage();
    const sample: Record<string, number> = { [CLIENT]: (own.user + own.system) / 1000 };
    for (const [name, pid] of Object.entries(others)) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) sample[name] = ms;
    }
    return sample;
  };
}

/** Cores each process kept busy between two samples `wallMs` apart: its CPU time over that wall time. */
export function coresBusy(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  wallMs: number,
): Record<string, number> {
  const cores: Record<string, number> = {};
  for (const [name, ms] of Object.entries(after)) {
    const start = before[name];
    if (start !== undefined && wallMs > 0) cores[name] = (ms - start) / wallMs;
  }
  return cores;
}

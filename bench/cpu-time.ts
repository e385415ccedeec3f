// CPU time of process trees from /proc, so a run shows whether the machine, not the quota,
// bounded it: the emulator, the Temporal server and the workers share the same cores.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

// USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux build in use.
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." and comm may itself contain ") ": split after the last one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields from "state" on: ppid is the 2nd, utime the 12th, stime the 13th.
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone between listing and reading
  }
}

/** CPU seconds used so far by each root process and every live descendant of it. */
export function cpuSecondsOfTrees(roots: Record<string, number>): Record<string, number> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  // The nearest root above a process (or the process itself) owns its time: the benchmark
  // process is an ancestor of all the others, which count as their own.
  const rootIds = new Map(Object.entries(roots).map(([name, pid]) => [pid, name]));
  const rootOf = (pid: number): string | undefined => {
    for (let at: number | undefined = pid, hops = 0; at && hops < 64; hops++) {
      const name = rootIds.get(at);
      if (name !== undefined) return name;
      at = stats.get(at)?.ppid;
    }
    return undefined;
  };
  const seconds: Record<string, number> = Object.fromEntries(Object.keys(roots).map((k) => [k, 0]));
  for (const [pid, stat] of stats) {
    const name = rootOf(pid);
    if (name !== undefined) seconds[name] = (seconds[name] ?? 0) + stat.cpuTicks / TICKS_PER_SECOND;
  }
  return seconds;
}

/** CPU seconds each tree used between two readings, and the whole machine's capacity in that time. */
export function cpuUse(
  before: Record<string, number>,
  after: Record<string, number>,
  wallMs: number,
): { seconds: Record<string, number>; capacitySeconds: number; busyShare: number } {
  const seconds = Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, +(v - (before[k] ?? 0)).toFixed(1)]),
  );
  const capacitySeconds = +((os.cpus().length * wallMs) / 1000).toFixed(1);
  const used = Object.values(seconds).reduce((a, b) => a + b, 0);
  return { seconds, capacitySeconds, busyShare: +(used / capacitySeconds).toFixed(2) };
}

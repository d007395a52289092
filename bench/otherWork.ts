// How busy the machine was with work other than the benchmark itself. The load average cannot say:
// on 2 cores the UI benchmark's own code-server and Chromium (and the graph benchmark's Chromium)
// push it above 2 on an idle machine. Linux counts every CPU tick in /proc/stat and every process's
// ticks in /proc/<pid>/stat; the machine's busy ticks minus those of this process and its
// descendants (children that ended are in their parent's cutime/cstime once reaped) are the other
// work's, here in cores on average over the span. A descendant that was re-parented away before it
// ended is counted as other work: the figure errs toward "loaded", never toward "quiet".
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** Milliseconds (performance.now()). */
  at: number;
  /** Busy ticks of the whole machine (all cores). */
  machineTicks: number;
  /** Ticks of this process and every descendant (with their reaped children's). */
  ownTicks: number;
}

/** A sample of the machine's and the benchmark's CPU ticks, or undefined where /proc is missing (not Linux). */
export function sampleCpu(): CpuSample | undefined {
  try {
    const machineTicks = machineBusyTicks();
    return { at: performance.now(), machineTicks, ownTicks: treeTicks(process.pid) };
  } catch {
    return undefined;
  }
}

/** Cores busy with other work on average between two samples (0 = the benchmark had the machine to itself). */
export function otherWorkCores(from: CpuSample | undefined, to: CpuSample | undefined): number | undefined {
  if (!from || !to || to.at <= from.at) return undefined;
  const other = Math.max(0, to.machineTicks - from.machineTicks - (to.ownTicks - from.ownTicks));
  return other / ticksPerSecond() / ((to.at - from.at) / 1000);
}

/** At most this many cores of other work for a figure to be published as an absolute time. */
export const QUIET_OTHER_CORES = 0.5;

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user)
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + (steal || 0);
}

function treeTicks(root: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended while listed
    }
    // Fields after the command (which may hold spaces and parentheses): state ppid ... utime(14)
    // stime(15) cutime(16) cstime(17), counted from 1 with pid and comm as 1 and 2.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const ppid = Number(fields[1]);
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

let clockTicks: number | undefined;
/** Clock ticks per second as /proc counts them (100 unless the kernel says otherwise). */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

// Whether a pid is still the process a run started. A pid in a status file outlives its process:
// after a reboot (or a long time) the same number belongs to another program, and signalling its
// process group would stop that program. The run's wrapper records its own start time from
// `/proc/<pid>/stat` (field 22, in clock ticks since boot) beside its pid; a pid is the run's only
// while the live process has that same start time. Where there is no /proc, nothing can be proven.
// No `vscode` import.
import { readFileSync } from 'node:fs';

/** Field 22 (starttime) of `/proc/<pid>/stat`, or undefined (no such process, no /proc). */
export function processStartTime(pid: number, procRoot = '/proc'): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // Field 2 (the command name, in parentheses) may hold spaces and `)`: fields 3… follow the last `) `.
    const rest = stat.slice(stat.lastIndexOf(') ') + 2).trim().split(/\s+/);
    return rest[19];
  } catch {
    return undefined;
  }
}

/** This process's group (field 5 of /proc/self/stat), or undefined. */
function ownProcessGroup(procRoot = '/proc'): number | undefined {
  try {
    const stat = readFileSync(`${procRoot}/self/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(') ') + 2).trim().split(/\s+/)[2]);
    return Number.isInteger(group) ? group : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True only when `pid` is provably the run's process: above 1, not this process nor its group,
 * alive, and started at the recorded time.
 */
export function isRunProcess(pid: number | undefined, started: string | undefined, procRoot = '/proc'): boolean {
  if (
    pid === undefined ||
    !Number.isInteger(pid) ||
    pid <= 1 ||
    pid === process.pid ||
    pid === ownProcessGroup(procRoot)
  )
    return false;
  if (!started || !/^\d+$/.test(started)) return false;
  return processStartTime(pid, procRoot) === started;
}

/** Whether this machine can prove it at all (Linux's /proc). */
export function canProveProcesses(procRoot = '/proc'): boolean {
  return processStartTime(process.pid, procRoot) !== undefined;
}

// CPU time used by a process, from /proc (Linux): a measure of cost per request that holds up
// better than requests/s on a machine where other work competes for the cores.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;

/** User + system CPU time of `pid` in microseconds, or NaN where /proc is not available. */
export function cpuTimeOf(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    // Fields after the command name (which may hold spaces) start at "state"; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
  } catch {
    return NaN;
  }
}

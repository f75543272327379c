import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CPU time (user + system, in seconds) in the text of /proc/<pid>/stat: fields 14 and 15, in clock
 * ticks of 1/100 s (USER_HZ). The command name (field 2) may contain spaces and parentheses, the
 * fields after its last closing parenthesis do not.
 */
export function cpuSecondsFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return (user + system) / 100;
}

/**
 * The CPU clock of the topology's Temporal dev server (its pid from `.faultline/run/temporal.pid`,
 * written by `npm run infra:up`), or undefined when it cannot be read (not Linux, another topology):
 * the figure then says so rather than failing the benchmark.
 */
export function temporalServerCpu(workspaceRoot: string): (() => number) | undefined {
  try {
    const pid = Number(readFileSync(join(workspaceRoot, '.faultline', 'run', 'temporal.pid'), 'utf8').trim());
    const read = () => cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    read();
    return read;
  } catch {
    return undefined;
  }
}

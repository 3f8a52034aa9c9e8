// Reads a process's CPU time and resident memory from /proc (Linux), so the app is measured from
// outside without code in it that the configurations would not share.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User + system CPU time so far, in microseconds (resolution: one clock tick, usually 10 ms). */
export function cpuMicros(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/**
 * User and system CPU time so far, in microseconds, apart: system time is the kernel's share, such as
 * the loopback TCP work of every envelope sent, which instruction counts of user space leave out.
 */
export function cpuTimes(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: (Number(fields[11]) * 1_000_000) / CLOCK_TICKS_PER_SECOND,
    system: (Number(fields[12]) * 1_000_000) / CLOCK_TICKS_PER_SECOND,
  };
}

/** VmRSS in MiB. */
export function residentMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kiB / 1024;
}

/** VmRSS in MB (10^6 bytes), the unit the reports use. */
export function residentMB(pid) {
  return (residentMiB(pid) * 1024 * 1024) / 1e6;
}

/**
 * What a benchmark prints about the machine it ran on, and the memory/CPU of the processes it started
 * (read from /proc: Linux only; elsewhere the figures print as "?").
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** nproc, memory, node version, CPU model, load average; printed first by every benchmark. */
export function machineLines(): string[] {
  const model = /model name\s*:\s*(.*)/.exec(read('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  let nproc = String(os.availableParallelism?.() ?? os.cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    /* keep Node's count */
  }
  const la = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return [
    `machine: nproc ${nproc}; CPU ${model}; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB (free ${(os.freemem() / 2 ** 30).toFixed(1)} GiB); node ${process.version}; ${os.type()} ${os.release()}`,
    `load average at start: ${la} (the machine is shared: other engineers' tests may run at the same time)`,
  ];
}

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MiB. */
export function memoryOf(pid: number | undefined): { hwmMiB?: number; rssMiB?: number } {
  if (!pid) return {};
  const s = read(`/proc/${pid}/status`);
  const kb = (k: string) => {
    const m = new RegExp(`${k}:\\s*(\\d+) kB`).exec(s);
    return m ? Number(m[1]) / 1024 : undefined;
  };
  return { hwmMiB: kb('VmHWM'), rssMiB: kb('VmRSS') };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 100; // USER_HZ on Linux
  return (Number(f[11]) + Number(f[12])) / tick;
}

/** The pid of a process started by this one whose command line contains every one of `parts` (e.g. a port). */
export function findPid(...parts: string[]): number | undefined {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = read(`/proc/${d}/cmdline`).replace(/\0/g, ' ');
    if (cmd && parts.every((p) => cmd.includes(p))) return Number(d);
  }
  return undefined;
}

/** Percentiles by nearest rank. */
export function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const fmt = (n: number | undefined, digits = 0) =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '?';

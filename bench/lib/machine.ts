/** The machine a run was taken on, recorded with its figures. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { Machine } from './results.ts';

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall through to what Node.js reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(kubernetes: string): Machine {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    kubernetes,
    os: `${type()} ${release()}`,
    loadAverageStart: loadavg()[0] ?? Number.NaN,
  };
}

export function loadAverageNow(): number {
  return loadavg()[0] ?? Number.NaN;
}

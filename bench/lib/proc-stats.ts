/**
 * Memory and CPU of a process from /proc (Linux): resident set size now (VmRSS) and at its peak
 * (VmHWM, the high-water mark, which only grows), and CPU time (utime + stime). A sampler reads
 * them periodically so the peak within a phase is known, not only the lifetime peak.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcReading {
  at: number;
  rssKiB: number;
  hwmKiB: number;
  /** User plus system CPU seconds since the process started. */
  cpuSeconds: number;
}

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    // Linux has used 100 (USER_HZ) on every common architecture for decades.
    return 100;
  }
}

const ticksPerSecond = clockTicksPerSecond();

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

/** One reading, or undefined once the process is gone. */
export function readProc(pid: number): ProcReading | undefined {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return {
      at: Date.now(),
      rssKiB: statusField(status, 'VmRSS'),
      hwmKiB: statusField(status, 'VmHWM'),
      cpuSeconds: (utime + stime) / ticksPerSecond,
    };
  } catch {
    return undefined;
  }
}

/** What a process used between a mark and now. */
export interface ProcWindow {
  cpuSeconds: number;
  /** Highest VmRSS sampled in the window (the window's own peak). */
  peakRssKiB: number;
  rssStartKiB: number;
  rssEndKiB: number;
  /** VmHWM at the end: the peak over the process's whole life so far. */
  hwmEndKiB: number;
}

export interface ProcMark {
  readonly start: ProcReading;
  peakRssKiB: number;
}

/** Samples one process every `intervalMs` until stopped; marks open measurement windows. */
export class ProcSampler {
  private readonly marks = new Set<ProcMark>();
  private readonly timer: NodeJS.Timeout;
  last: ProcReading | undefined;

  constructor(
    readonly pid: number,
    intervalMs = 200,
  ) {
    this.last = readProc(pid);
    this.timer = setInterval(() => {
      this.sample();
    }, intervalMs);
    this.timer.unref();
  }

  private sample(): ProcReading | undefined {
    const reading = readProc(this.pid);
    if (reading === undefined) return undefined;
    this.last = reading;
    for (const mark of this.marks) mark.peakRssKiB = Math.max(mark.peakRssKiB, reading.rssKiB);
    return reading;
  }

  /** Opens a window now. */
  mark(): ProcMark {
    const start = this.sample() ?? this.last;
    if (start === undefined) throw new Error(`process ${String(this.pid)} is gone`);
    const mark = { start, peakRssKiB: start.rssKiB };
    this.marks.add(mark);
    return mark;
  }

  /** Closes a window: CPU used and memory peak since the mark. */
  since(mark: ProcMark): ProcWindow {
    const end = this.sample() ?? this.last ?? mark.start;
    this.marks.delete(mark);
    return {
      cpuSeconds: end.cpuSeconds - mark.start.cpuSeconds,
      peakRssKiB: Math.max(mark.peakRssKiB, end.rssKiB),
      rssStartKiB: mark.start.rssKiB,
      rssEndKiB: end.rssKiB,
      hwmEndKiB: end.hwmKiB,
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * How a following command (`run --local`, `apply --wait`) shows a test while it runs: in a
 * terminal, one status line redrawn in place with news printed above it; in CI logs (not a
 * terminal, or `CI=true`), a plain line when something changed and a heartbeat line now and then;
 * with `--output json`, one JSON object per line.
 */
import type { CliIo } from './io.ts';
import { formatProgress, progressJson, progressKey, type ProgressSnapshot } from './progress.ts';

/** The three renderings. */
export type ViewMode = 'tty' | 'plain' | 'json';

/** The mode for `--output` and the terminal: json if asked, tty only in a real, non-CI terminal. */
export function viewMode(output: 'text' | 'json', io: CliIo): ViewMode {
  if (output === 'json') return 'json';
  const ci = io.env.CI;
  return io.stdoutIsTty === true && ci !== 'true' && ci !== '1' ? 'tty' : 'plain';
}

/** A live view; every method writes to standard output. */
export interface LiveView {
  /** The test's latest state. */
  progress(snapshot: ProgressSnapshot): void;
  /** A line of news (an event, a notice, a log line) and its JSON form (a `type` field first). */
  message(text: string, json: Readonly<Record<string, unknown>>): void;
  /** Ends the live part: the latest state is left as a plain line (once, in every mode). */
  finish(): void;
}

/** Options of createLiveView. */
export interface LiveViewOptions {
  /** The clock, for heartbeats. */
  readonly now: () => number;
  /** Plain and json modes repeat an unchanged state this often; default 10 s. */
  readonly heartbeatMs?: number;
}

// Erase the current terminal line and return to its start.
const clearLine = '\r\u001b[2K';

/** Creates the view for `mode`, writing through `io`. */
export function createLiveView(mode: ViewMode, io: CliIo, options: LiveViewOptions): LiveView {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let latest: ProgressSnapshot | undefined;
  let printedKey: string | undefined;
  let printedAt = Number.NEGATIVE_INFINITY;
  let latestPrinted = false;
  let finished = false;
  // A status line longer than the terminal would wrap, and \r would then redraw only its tail.
  const fit = (line: string) =>
    io.columns === undefined ? line : line.slice(0, Math.max(10, io.columns - 1));
  const emit = (snapshot: ProgressSnapshot) => {
    io.stdout(
      mode === 'json'
        ? `${JSON.stringify(progressJson(snapshot))}\n`
        : `${formatProgress(snapshot)}\n`,
    );
  };
  return {
    progress(snapshot) {
      if (finished) return;
      latest = snapshot;
      if (mode === 'tty') {
        io.stdout(`${clearLine}${fit(formatProgress(snapshot))}`);
        return;
      }
      const key = progressKey(snapshot);
      const now = options.now();
      if (key === printedKey && now - printedAt < heartbeatMs) {
        latestPrinted = false;
        return;
      }
      emit(snapshot);
      printedKey = key;
      printedAt = now;
      latestPrinted = true;
    },
    message(text, json) {
      if (mode === 'json') {
        io.stdout(`${JSON.stringify(json)}\n`);
      } else if (mode === 'tty') {
        const status = latest === undefined || finished ? '' : fit(formatProgress(latest));
        io.stdout(`${clearLine}${text}\n${status}`);
      } else {
        io.stdout(`${text}\n`);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (latest === undefined) return;
      if (mode === 'tty') io.stdout(`${clearLine}${formatProgress(latest)}\n`);
      else if (!latestPrinted) emit(latest);
    },
  };
}

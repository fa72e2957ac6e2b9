/**
 * Polls until a condition holds or a deadline passes. The check either returns a value (done) or
 * throws / returns undefined (not yet); on timeout the last failure is reported, so a test that
 * times out says what it was waiting for and what it saw last.
 */
export interface EventuallyOptions {
  /** What we are waiting for, for the error message. */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: EventuallyOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'the condition never held';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${String(timeoutMs)} ms waiting for ${options.description}: ${lastProblem}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * What the CLI's commands may do to the outside world, passed in so the commands run the same in
 * a terminal and in tests.
 */

/** The side effects a command may perform. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads a file's text; `-` reads standard input. Rejects with the system error. */
  readonly readText: (path: string) => Promise<string>;
  /** The environment (for `render --config-from-env`, `CI`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (live progress redraws one line); default false. */
  readonly stdoutIsTty?: boolean;
  /** The terminal's width in columns, when it is one. */
  readonly columns?: number;
}

/** Exit codes shared by every command. */
export const exitCodes = {
  ok: 0,
  /** The input was read but is invalid (a validation error). */
  invalid: 1,
  /** Bad usage, an unreadable file or a YAML syntax error. */
  usage: 2,
} as const;

/** One of exitCodes. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

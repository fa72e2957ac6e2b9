/**
 * The `locustctl` process: binds the CLI to the real terminal, files and environment.
 * bin/locustctl.js imports the compiled form of this module.
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { runCli } from './program.ts';
import type { CliIo } from './io.ts';

async function packageVersion(): Promise<string> {
  // src/cli/main.ts and dist/cli/main.js are both two levels below the package root.
  const json: unknown = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  const version =
    typeof json === 'object' && json !== null && 'version' in json ? json.version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

const io: CliIo = {
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  readText: (path) => (path === '-' ? text(process.stdin) : readFile(path, 'utf8')),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY,
  ...(process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
};

try {
  process.exitCode = await runCli(process.argv.slice(2), io, await packageVersion());
} catch (error) {
  process.stderr.write(
    `locustctl: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 70;
}

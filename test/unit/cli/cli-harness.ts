/** Runs locustctl in-process (fast) or as a process (to cover main.ts), on temp files. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/cli/program.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'locustctl-test-'));
let fileCount = 0;

/** Writes `content` to a new temp file and returns its path. */
export function tempFile(content: string, name = 'test.yaml'): string {
  fileCount += 1;
  const path = join(directory, `${String(fileCount)}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** Runs the CLI in this process with real files, the given stdin text and environment. */
export async function runInProcess(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readText: (path) =>
        path === '-'
          ? Promise.resolve(options.stdin ?? '')
          : Promise.resolve().then(() => readFileSync(path, 'utf8')),
      env: options.env ?? {},
    },
    '0.0.0-test',
  );
  return { code, stdout, stderr };
}

/** Runs `node --import tsx src/cli/main.ts ARGS` as a child process. */
export function runProcess(args: readonly string[], stdin = ''): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    input: stdin,
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A valid v2 LocustTest manifest named `name`. */
export function manifest(name: string, replicas = 2): string {
  return `apiVersion: locust.io/v2
kind: LocustTest
metadata:
  name: ${name}
spec:
  image: locustio/locust:2.43.3
  master:
    command: --locustfile /lotest/src/locustfile.py
  worker:
    command: --locustfile /lotest/src/locustfile.py
    replicas: ${String(replicas)}
  testFiles:
    configMapRef: ${name}-scripts
`;
}

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { locustBinary, startTargetServer } from '../../support/locust.ts';

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}

test('the pinned Locust runs headless against a loopback server, which sees its requests', async (t) => {
  const target = await startTargetServer();
  t.after(() => target.close());
  const dir = mkdtempSync(join(tmpdir(), 'locust-smoke-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(
    join(dir, 'locustfile.py'),
    [
      'from locust import HttpUser, task, constant',
      '',
      'class Visitor(HttpUser):',
      '    wait_time = constant(0.05)',
      '',
      '    @task',
      '    def home(self):',
      '        self.client.get("/hello")',
      '',
    ].join('\n'),
  );
  const { code, output } = await run(
    locustBinary,
    [
      '-f',
      'locustfile.py',
      '--headless',
      '-u',
      '2',
      '-r',
      '2',
      '-t',
      '3s',
      '--host',
      target.url,
      '--only-summary',
    ],
    dir,
  );
  assert.equal(code, 0, output);
  assert.ok((target.hits.get('/hello') ?? 0) > 0, 'the server saw requests to /hello');
  assert.match(output, /GET\s+\/hello/);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { manifest, runProcess, tempFile } from './cli-harness.ts';

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
  .version;

test('locustctl --version prints the package version', () => {
  const run = runProcess(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, `${packageVersion}\n`);
});

test('locustctl --help lists the commands; each command has its own help', () => {
  const run = runProcess(['--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /validate \[options\] <FILE\.\.\.>/);
  assert.match(run.stdout, /render \[options\] <FILE>/);
  for (const command of ['validate', 'render']) {
    const help = runProcess([command, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit status: 0/);
  }
});

test('the process exit code is the command result: 0, 1 or 2', () => {
  assert.equal(runProcess(['validate', tempFile(manifest('ok'))]).code, 0);
  const invalid = runProcess(['validate', '-'], manifest('bad', 0));
  assert.equal(invalid.code, 1);
  assert.equal(
    invalid.stdout,
    '<stdin>:11: spec.worker.replicas: Invalid value: 0: should be greater than or equal to 1\n',
  );
  assert.equal(runProcess(['validate']).code, 2);
});

test('render output from the process is three YAML documents per test', () => {
  const run = runProcess(['render', '-'], manifest('proc'));
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.match(/^---$/gm)?.length, 3);
});

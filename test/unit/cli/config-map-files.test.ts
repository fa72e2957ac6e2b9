import assert from 'node:assert/strict';
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  isSafeRelativePath,
  isValidKey,
  totalBytes,
  volumeFiles,
} from '../../../src/cli/config-map-files.ts';
import { readDirectoryAsSource, writeVolumeFiles } from '../../../src/cli/local-files.ts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'locustctl-cm-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('every key becomes a file of its name, text and binary alike', () => {
  const { files, problems } = volumeFiles({
    data: { 'locustfile.py': 'print(1)\n', 'settings.conf': 'a=1' },
    binaryData: { 'logo.png': Uint8Array.from([0x89, 0x50]) },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    files.map((f) => f.path),
    ['locustfile.py', 'settings.conf', 'logo.png'],
  );
  assert.equal(totalBytes(files), 9 + 3 + 2);
});

test('keys that are not file names are refused, never written outside the directory', () => {
  for (const key of ['../escape', 'a/b', '.', '..', '', 'sp ace'])
    assert.equal(isValidKey(key), false, key);
  for (const key of ['locustfile.py', '.hidden', 'a-b_c.d'])
    assert.equal(isValidKey(key), true, key);
  const { files, problems } = volumeFiles({ data: { '../escape': 'x', ok: 'y' } });
  assert.deepEqual(files, [{ path: 'ok', content: 'y' }]);
  assert.deepEqual(problems, ['key "../escape" is not a valid file name; skipped']);
});

test('items pick keys and place them at relative paths; a missing key is reported unless optional', () => {
  const source = { data: { 'a.py': 'A', 'b.py': 'B' } };
  const items = [
    { key: 'a.py', path: 'pkg/a.py' },
    { key: 'missing', path: 'm' },
    { key: 'b.py', path: '../../etc/passwd' },
  ];
  assert.deepEqual(volumeFiles(source, items), {
    files: [{ path: 'pkg/a.py', content: 'A' }],
    problems: [
      'key missing does not exist; skipped',
      'path "../../etc/passwd" of key b.py leaves the volume; skipped',
    ],
  });
  assert.deepEqual(volumeFiles(source, items.slice(0, 2), true).problems, []);
  for (const path of ['/abs', 'a/../b', 'a//b', ''])
    assert.equal(isSafeRelativePath(path), false, path);
});

test('a directory reads like kubectl create configmap --from-file=DIR and is written back the same', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'locustfile.py'), 'from locust import HttpUser\n');
  writeFileSync(join(dir, 'data.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(dir, 'bad name.txt'), 'x');
  mkdirSync(join(dir, 'subdir'));
  writeFileSync(join(dir, 'subdir', 'nested.py'), 'x');
  symlinkSync(join(dir, 'locustfile.py'), join(dir, 'link.py'));
  const { source, skipped } = await readDirectoryAsSource(dir);
  assert.deepEqual(skipped, ['bad name.txt']);
  assert.deepEqual(Object.keys(source.binaryData ?? {}), ['data.bin', 'link.py', 'locustfile.py']);

  const out = join(tempDir(t), 'files');
  const { files } = volumeFiles(source, [
    { key: 'locustfile.py', path: 'locustfile.py' },
    { key: 'data.bin', path: 'deep/er/data.bin' },
  ]);
  await writeVolumeFiles(out, files);
  assert.deepEqual(readdirSync(out).sort(), ['deep', 'locustfile.py']);
  assert.equal(readFileSync(join(out, 'locustfile.py'), 'utf8'), 'from locust import HttpUser\n');
  assert.deepEqual([...readFileSync(join(out, 'deep/er/data.bin'))], [0, 1, 2, 255]);
  await assert.rejects(
    writeVolumeFiles(out, [{ path: '../x', content: '' }]),
    /unsafe volume path/,
  );
});

/**
 * Serving certificates: the self-signed CA and leaf, loading a cert-manager style directory,
 * waiting for it, and hot reload (the next handshake presents the new certificate).
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  generateSelfSigned,
  loadCertificate,
  waitForCertificateFiles,
  watchCertificate,
  writeSelfSigned,
} from '../../../src/webhook/certificates.ts';
import { validatePath } from '../../../src/webhook/server.ts';
import { startWebhookServer } from '../../../src/webhook/start.ts';
import { eventually } from '../../support/eventually.ts';
import { sampleTest } from '../validation/sample-test.ts';
import { admissionReview, call, captureLogs } from './harness.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'webhook-certs-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

test('generateSelfSigned makes a P-256 CA and a leaf for the given DNS names and IPs', async () => {
  const pair = await generateSelfSigned(['localhost', '127.0.0.1', 'webhook.ns.svc']);
  const ca = new X509Certificate(pair.caPem);
  const leaf = new X509Certificate(pair.certPem);
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey));
  assert.equal(leaf.checkHost('localhost'), 'localhost');
  assert.equal(leaf.checkHost('webhook.ns.svc'), 'webhook.ns.svc');
  assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(leaf.checkHost('example.com'), undefined);
  assert.ok(leaf.keyUsage.includes('1.3.6.1.5.5.7.3.1'), 'serverAuth');
  const key = createPrivateKey(pair.keyPem);
  assert.equal(key.asymmetricKeyType, 'ec');
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.ok(leaf.checkPrivateKey(key));
  assert.ok(Date.parse(leaf.validTo) > Date.now() + 300 * 86_400_000);
});

test('generateSelfSigned needs at least one host', async () => {
  await assert.rejects(generateSelfSigned([]), /at least one host/);
});

test('writeSelfSigned writes tls.crt, tls.key (owner-only) and ca.crt, and they load', async () => {
  const dir = await tempDir();
  const pair = await generateSelfSigned(['localhost']);
  await writeSelfSigned(dir, pair);
  assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), pair.caPem);
  assert.equal((await stat(join(dir, 'tls.key'))).mode & 0o777, 0o600);
  const loaded = await loadCertificate({ dir });
  assert.equal(loaded.cert, pair.certPem);
  assert.equal(loaded.fingerprint256, new X509Certificate(pair.certPem).fingerprint256);
});

test('loadCertificate honours custom file names and refuses a key that does not match', async () => {
  const dir = await tempDir();
  const [a, b] = await Promise.all([generateSelfSigned(['a']), generateSelfSigned(['b'])]);
  await writeFile(join(dir, 'serving.pem'), a.certPem);
  await writeFile(join(dir, 'serving-key.pem'), a.keyPem);
  const files = { dir, certName: 'serving.pem', keyName: 'serving-key.pem' };
  assert.equal((await loadCertificate(files)).cert, a.certPem);
  await writeFile(join(dir, 'serving-key.pem'), b.keyPem);
  await assert.rejects(loadCertificate(files), /key values mismatch/);
});

test('waiting for missing files times out with an error that mentions cert-manager', async () => {
  const dir = await tempDir();
  const { log } = captureLogs();
  const signal = new AbortController().signal;
  await assert.rejects(
    waitForCertificateFiles({ dir, timeoutMs: 200, pollMs: 20, signal, log }),
    (error: Error) => {
      assert.match(error.message, /tls\.crt/);
      assert.match(error.message, /cert-manager/);
      assert.match(error.message, /--webhook-cert-wait-timeout/);
      return true;
    },
  );
});

test('a wait of 0 waits until the files appear, logging while it waits; abort stops it', async () => {
  const dir = await tempDir();
  const logs = captureLogs();
  const signal = new AbortController().signal;
  const waiting = waitForCertificateFiles({
    dir,
    timeoutMs: 0,
    pollMs: 20,
    logEveryMs: 50,
    signal,
    log: logs.log,
  });
  setTimeout(
    () => void generateSelfSigned(['localhost']).then((pair) => writeSelfSigned(dir, pair)),
    200,
  );
  await waiting;
  assert.ok(
    logs.lines.some((line) => String(line.msg).includes('waiting for the webhook certificate')),
  );

  const controller = new AbortController();
  const stopped = waitForCertificateFiles({
    dir: await tempDir(),
    timeoutMs: 0,
    pollMs: 20,
    signal: controller.signal,
    log: logs.log,
  });
  controller.abort(new Error('shutting down'));
  await assert.rejects(stopped, /shutting down/);
});

test('a watch is not ready until a certificate is loaded, then picks up files that appear', async () => {
  const dir = await tempDir();
  const controller = new AbortController();
  const changes: string[] = [];
  const watch = watchCertificate({
    dir,
    signal: controller.signal,
    log: captureLogs().log,
    pollMs: 50,
    onChange: (pair) => changes.push(pair.fingerprint256),
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(watch.ready(), false);
    assert.equal(watch.current(), undefined);
    const pair = await generateSelfSigned(['localhost']);
    await writeSelfSigned(dir, pair);
    await eventually(() => watch.ready() || undefined, {
      description: 'the watch to load the new files',
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    assert.deepEqual(changes, [new X509Certificate(pair.certPem).fingerprint256]);
  } finally {
    controller.abort();
  }
});

test('a half-replaced pair is refused and the previous certificate kept', async () => {
  const dir = await tempDir();
  const first = await generateSelfSigned(['localhost']);
  await writeSelfSigned(dir, first);
  const logs = captureLogs();
  const controller = new AbortController();
  const initial = await loadCertificate({ dir });
  const watch = watchCertificate({
    dir,
    initial,
    signal: controller.signal,
    log: logs.log,
    onChange: () => undefined,
  });
  try {
    await writeFile(join(dir, 'tls.key'), (await generateSelfSigned(['x'])).keyPem);
    assert.equal(await watch.reload(), false);
    assert.equal(watch.current()?.cert, first.certPem);
    assert.ok(logs.lines.some((line) => line.msg === 'webhook certificate not (re)loaded'));
  } finally {
    controller.abort();
  }
});

test('startWebhookServer serves with the files and the next handshake presents a renewed certificate', async () => {
  const dir = await tempDir();
  const first = await generateSelfSigned(['localhost', '127.0.0.1']);
  await writeSelfSigned(dir, first);
  const controller = new AbortController();
  const webhook = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir: dir,
    certPollMs: 100,
    log: captureLogs().log,
    signal: controller.signal,
    shutdownTimeoutMs: 200,
  });
  const body = JSON.stringify(admissionReview('CREATE', sampleTest()));
  try {
    assert.equal(webhook.ready(), true);
    const before = await call(webhook.port, first.caPem, validatePath, { body });
    assert.equal(before.status, 200);
    assert.equal(before.fingerprint256, new X509Certificate(first.certPem).fingerprint256);

    const renewed = await generateSelfSigned(['localhost', '127.0.0.1']);
    await writeSelfSigned(dir, renewed);
    const expected = new X509Certificate(renewed.certPem).fingerprint256;
    await eventually(
      async () => {
        const answer = await call(webhook.port, `${first.caPem}${renewed.caPem}`, validatePath, {
          body,
        });
        assert.equal(answer.status, 200);
        assert.equal(answer.fingerprint256, expected);
        return true;
      },
      {
        description: 'a handshake presenting the renewed certificate',
        timeoutMs: 5_000,
        intervalMs: 20,
      },
    );
    // A client trusting only the old CA now fails: the old certificate is really gone.
    await assert.rejects(call(webhook.port, first.caPem, validatePath, { body }));
  } finally {
    controller.abort();
    await webhook.closed;
  }
  assert.equal(webhook.ready(), false);
});

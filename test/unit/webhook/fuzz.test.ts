/**
 * Fuzzing the webhook server: 10 000+ malformed AdmissionReview and ConversionReview requests over
 * a few keep-alive connections. Every answer must be well-formed: a 200 review echoing the uid, or
 * a 4xx Kubernetes Status; a 500 only where the converter itself threw something other than a
 * ConversionError (a bug in src/api, reported by uid), and each 500 logged as an error. The
 * server (in a child process) must stay up, answer a valid review at the end, and keep its heap
 * flat. FUZZ_SEED and FUZZ_CASES override the seed and count.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:https';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sampleTest } from '../validation/sample-test.ts';
import { fuzzCase, randomSource, type FuzzCase } from './fuzz-cases.ts';
import { admissionReview } from './harness.ts';
import { validatePath } from '../../../src/webhook/paths.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20_260_101);
const cases = Number(process.env.FUZZ_CASES ?? 10_000);
const warmUp = 1_000;
const concurrency = 8;
const sockets = 4;
const maxHeapGrowthBytes = 50 * 1024 * 1024;

interface Memory {
  heapUsed: number;
  rss: number;
  gcExposed: boolean;
  cpuSeconds: number;
  levels: Record<string, number>;
}
interface Ready {
  port: number;
  ca: string;
  maxBodyBytes: number;
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`webhook child exited (code ${String(code)}, signal ${String(signal)})`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

interface Outcome {
  status: number;
  text: string;
}

function send(agent: Agent, ready: Ready, fuzz: FuzzCase): Promise<Outcome | Error> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: ready.port,
        method: fuzz.method,
        path: fuzz.path,
        agent,
        servername: 'localhost',
        headers: {
          ...(fuzz.contentType === undefined ? {} : { 'content-type': fuzz.contentType }),
          'content-length': fuzz.body.length,
        },
        timeout: 20_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', resolve);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', resolve);
    req.end(fuzz.body);
  });
}

/** What the client itself makes of the body: the uid a 200 must echo, or why it must be a 400. */
function expectedUid(body: Buffer): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as {
      request?: { uid?: unknown };
    };
    return typeof value.request?.uid === 'string' ? value.request.uid : undefined;
  } catch {
    return undefined;
  }
}

/** The uids of the conversion reviews answered 500 (see check()). */
const converterBugs: string[] = [];

function uidOf(body: Buffer): string {
  return /"uid":"([^"]*)"/.exec(body.toString('latin1'))?.[1] ?? '?';
}

function check(
  fuzz: FuzzCase,
  outcome: Outcome | Error,
  ready: Ready,
  tally: Map<string, number>,
): void {
  const oversize = fuzz.body.length > ready.maxBodyBytes;
  const label = `${fuzz.method} ${fuzz.path} ${String(fuzz.body.length)} bytes: ${fuzz.body.subarray(0, 120).toString('latin1')}`;
  if (outcome instanceof Error) {
    // A client still writing a body the server has refused may see the reset before the 413.
    assert.ok(oversize || fuzz.expectedStatus !== undefined, `${label}: ${outcome.message}`);
    tally.set('reset', (tally.get('reset') ?? 0) + 1);
    return;
  }
  tally.set(String(outcome.status), (tally.get(String(outcome.status)) ?? 0) + 1);
  const body = JSON.parse(outcome.text) as {
    kind?: unknown;
    code?: unknown;
    response?: { uid?: unknown };
  };
  if (fuzz.expectedStatus !== undefined) assert.equal(outcome.status, fuzz.expectedStatus, label);
  else if (oversize) assert.equal(outcome.status, 413, label);
  if (outcome.status === 200) {
    const uid = expectedUid(fuzz.body);
    assert.notEqual(uid, undefined, `${label}: a 200 for a body without a uid`);
    assert.equal(body.response?.uid, uid, label);
    assert.ok(body.kind === 'AdmissionReview' || body.kind === 'ConversionReview', label);
    return;
  }
  if (outcome.status === 500) {
    // A 500 means a handler threw something other than a ConversionError: a bug. Record it so
    // the run fails listing every case.
    converterBugs.push(uidOf(fuzz.body));
  } else {
    assert.ok(
      [400, 404, 405, 413, 415].includes(outcome.status),
      `${label}: status ${String(outcome.status)}`,
    );
  }
  assert.equal(body.kind, 'Status', label);
  assert.equal(body.code, outcome.status, label);
}

async function run(
  agent: Agent,
  ready: Ready,
  from: number,
  to: number,
  tally: Map<string, number>,
): Promise<void> {
  const random = randomSource(seed + from);
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const fuzz = fuzzCase(random, next++, ready.maxBodyBytes);
      check(fuzz, await send(agent, ready, fuzz), ready, tally);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

test(`the webhook survives ${String(cases)} malformed reviews with well-formed answers and flat memory`, async (t) => {
  const helper = fileURLToPath(new URL('./fuzz-server.ts', import.meta.url));
  const child = fork(helper, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const ready = await nextMessage<Ready>(child, 'ready');
    const agent = new Agent({ keepAlive: true, maxSockets: sockets, ca: ready.ca });
    const tally = new Map<string, number>();
    const memory = () => {
      child.send({ type: 'memory' });
      return nextMessage<Memory>(child, 'memory');
    };

    await run(agent, ready, 0, warmUp, tally);
    const before = await memory();
    const started = performance.now();
    const clientCpu = process.cpuUsage();
    await run(agent, ready, warmUp, warmUp + cases, tally);
    const seconds = (performance.now() - started) / 1000;
    const clientUsage = process.cpuUsage(clientCpu);
    const clientSeconds = (clientUsage.user + clientUsage.system) / 1e6;
    const afterRun = await memory();

    const valid = await send(agent, ready, {
      method: 'POST',
      path: validatePath,
      contentType: 'application/json',
      body: Buffer.from(
        JSON.stringify(admissionReview('CREATE', sampleTest(), undefined, 'final')),
      ),
    });
    assert.ok(!(valid instanceof Error) && valid.status === 200, 'a valid review after the run');
    assert.match(valid.text, /"uid":"final","allowed":true/);
    agent.destroy();

    const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
    const figures =
      `seed ${String(seed)}: ${String(cases)} cases (+${String(warmUp)} warm-up) in ${seconds.toFixed(1)} s ` +
      `(${(cases / seconds).toFixed(0)}/s, ${String(concurrency)} in flight on ${String(sockets)} sockets; ` +
      `CPU: client ${clientSeconds.toFixed(1)} s, server ${(afterRun.cpuSeconds - before.cpuSeconds).toFixed(1)} s); ` +
      `converter 500s ${String(converterBugs.length)}; statuses ${JSON.stringify(Object.fromEntries([...tally].sort()))}; ` +
      `server heap ${mb(before.heapUsed)} -> ${mb(afterRun.heapUsed)}, rss ${mb(before.rss)} -> ${mb(afterRun.rss)} ` +
      `(gc ${before.gcExposed ? 'exposed' : 'NOT exposed'}); log lines by level ${JSON.stringify(afterRun.levels)}`;
    t.diagnostic(figures);
    console.log(figures);

    assert.deepEqual(converterBugs, [], 'reviews answered 500 (a handler threw unexpectedly)');
    // Every 500 is logged at error level, and nothing else is.
    assert.equal(afterRun.levels['50'] ?? 0, tally.get('500') ?? 0, 'error logs match 500s');
    assert.ok(afterRun.gcExposed, 'the child runs with --expose-gc');
    assert.ok(afterRun.heapUsed - before.heapUsed < maxHeapGrowthBytes, figures);
    assert.equal(child.exitCode, null, 'the server process is still up');
  } finally {
    if (child.connected) child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
  assert.equal(child.exitCode, 0);
});

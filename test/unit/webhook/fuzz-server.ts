/**
 * The webhook server in a child process for the fuzz test, so its memory is measured apart from
 * the client's. Run with `--expose-gc`; talks over IPC: sends `{type: 'ready', port, ca}`, answers
 * `{type: 'memory'}` with heap and RSS after a full GC and the count of log lines per level, and
 * exits cleanly on `{type: 'stop'}`. An uncaught exception crashes it, which the test sees.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { generateSelfSigned } from '../../../src/webhook/certificates.ts';
import { serveWebhooks } from '../../../src/webhook/server.ts';

/** Messages from the parent. */
type Command = { type: 'memory' } | { type: 'stop' };

const levels = new Map<number, number>();
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    // Count levels without parsing: every line starts with {"level":NN,
    const text = chunk.toString('utf8');
    for (const match of text.matchAll(/^\{"level":(\d+)/gm)) {
      const level = Number(match[1]);
      levels.set(level, (levels.get(level) ?? 0) + 1);
    }
    if (process.env.FUZZ_SHOW_ERRORS === '1') {
      for (const line of text.split('\n'))
        if (line.startsWith('{"level":50')) process.stderr.write(`${line}\n`);
    }
    callback();
  },
});

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Two passes: the first can leave objects reachable only from finalizers.
  gc?.();
  gc?.();
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('fuzz-server must be started with an IPC channel');
  const maxBodyBytes = Number(process.env.FUZZ_MAX_BODY_BYTES ?? 262_144);
  const pair = await generateSelfSigned(['localhost', '127.0.0.1']);
  const controller = new AbortController();
  const server = await serveWebhooks({
    host: '127.0.0.1',
    port: 0,
    certificate: { cert: pair.certPem, key: pair.keyPem },
    signal: controller.signal,
    // info, the operator's default level: what production serializes.
    log: pino({ level: 'info' }, sink),
    maxBodyBytes,
    shutdownTimeoutMs: 500,
  });
  process.on('message', (message: Command) => {
    if (message.type === 'memory') {
      collect();
      const usage = process.memoryUsage();
      send({
        type: 'memory',
        heapUsed: usage.heapUsed,
        rss: usage.rss,
        gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
        cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
        levels: Object.fromEntries(levels),
      });
    } else {
      controller.abort();
      void server.closed.then(() => {
        process.disconnect();
      });
    }
  });
  send({ type: 'ready', port: server.port, ca: pair.caPem, maxBodyBytes });
}

void main();

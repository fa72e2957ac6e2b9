/** The project's pinned Locust (from `npm run setup:locust`) and a small HTTP target on loopback. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/control-plane/versions.ts';

export const locustBinary = join(repoRoot, '.venv', 'bin', 'locust');

/** A locustfile whose users GET / every 0.1 s, as lines (join with '\n' for the file). */
export const visitorLocustfile: readonly string[] = [
  'from locust import HttpUser, task, constant',
  '',
  'class Visitor(HttpUser):',
  '    wait_time = constant(0.1)',
  '',
  '    @task',
  '    def home(self):',
  '        self.client.get("/")',
  '',
];

export interface TargetServer {
  url: string;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering 200, or `status(path)` when given. */
export async function startTargetServer(
  status: (path: string) => number = () => 200,
): Promise<TargetServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.statusCode = status(path);
    res.end('ok');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    hits,
    total: () => [...hits.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

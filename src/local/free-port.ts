/** Free TCP ports on the loopback interface, for local processes that must not collide. */
import { createServer, type Server } from 'node:net';

function listenOnLoopback(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('a TCP server on 127.0.0.1 has no port');
  }
  return address.port;
}

/**
 * `count` distinct ports that were free on 127.0.0.1 a moment ago. All are held open together
 * while they are chosen, so they differ from each other; like any such probe it cannot stop
 * another process from taking one before the caller binds it.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnLoopback());
    return servers.map(portOf);
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
  }
}

// The ports real Envoy will bind in `portico dev`, checked before anything starts: a port the developer asked for
// that is taken is an error naming it, and 0 becomes a free port. Envoy binds them itself a moment later.
import net from 'node:net';

/** A port that was asked for is in use (`index` into the list given to freePorts). */
export class PortInUseError extends Error {
  constructor(
    readonly index: number,
    readonly port: number,
  ) {
    super(`port ${port} is in use`);
  }
}

/**
 * Ports on `host` that are free now, all different: each asked-for port itself (PortInUseError when it is
 * taken), or any free one for 0. All are held until every one is found, then released for Envoy to bind.
 */
export async function freePorts(host: string, ports: readonly number[]): Promise<number[]> {
  const held: net.Server[] = [];
  try {
    for (const [index, port] of ports.entries()) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          reject(err.code === 'EADDRINUSE' ? new PortInUseError(index, port) : err),
        );
        server.listen({ host, port, exclusive: true }, () => resolve());
      });
      held.push(server);
    }
    return held.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  }
}

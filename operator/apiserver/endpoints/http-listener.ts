// The HTTP (or, with a certificate, HTTPS) listener on loopback. It can be closed and reopened on the same port
// (fault injection, restart) while the state lives on; connections are tracked so closing really drops them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { ServerCertificate } from '../security/self-signed-cert.js';

export class HttpListener {
  private server: Server | undefined;
  private boundPort: number;

  constructor(
    private readonly host: string,
    port: number,
    private readonly handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly tls?: ServerCertificate,
  ) {
    this.boundPort = port;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server: Server = this.tls
      ? createTlsServer({ keepAliveTimeout: 30_000, key: this.tls.key, cert: this.tls.cert }, this.handler)
      : createServer({ keepAliveTimeout: 30_000 }, this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.boundPort = addr.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

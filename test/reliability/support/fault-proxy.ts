// A TCP proxy between the operator and the embedded API server, for the network faults the API server's own
// fault injector cannot produce:
// - partition(): every open connection goes silent for good (bytes are swallowed, nothing is closed: a
//   half-open connection, as when a load balancer loses its backend), and new connections are accepted but
//   never answered, until heal();
// - refuse(ms): the port is closed (ECONNREFUSED) and open connections are reset, then it reopens;
// - reset(): open connections are reset.
// Only the operator's kubeconfig points here; the test's own clients talk to the API server directly.
import net from 'node:net';

export interface FaultProxyCounts {
  connections: number;
  partitions: number;
  refusals: number;
  resets: number;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
  dead: boolean;
}

export class FaultProxy {
  readonly counts: FaultProxyCounts = { connections: 0, partitions: 0, refusals: 0, resets: 0 };
  private server: net.Server | undefined;
  private readonly links = new Set<Link>();
  private partitioned = false;
  private boundPort = 0;

  constructor(
    private readonly upstreamPort: number,
    private readonly host = '127.0.0.1',
  ) {}

  get url(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => resolve());
    });
    this.boundPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  private accept(client: net.Socket): void {
    this.counts.connections++;
    const link: Link = { client, dead: this.partitioned };
    this.links.add(link);
    const drop = () => {
      this.links.delete(link);
      client.destroy();
      link.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (link.dead) return; // accepted, never answered
    const upstream = net.connect(this.upstreamPort, this.host);
    link.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', () => {
      if (!link.dead) drop();
    });
    client.on('data', (d) => {
      if (!link.dead) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!link.dead) client.write(d);
    });
  }

  /** Open connections go silent forever; new ones hang until heal(). */
  partition(): void {
    this.counts.partitions++;
    this.partitioned = true;
    for (const l of this.links) l.dead = true;
  }

  /** New connections work again; the connections that went silent stay silent (half-open). */
  heal(): void {
    this.partitioned = false;
  }

  /** Resets every open connection (RST), as a crashed server's kernel would. */
  reset(): void {
    this.counts.resets++;
    for (const l of [...this.links]) {
      l.client.resetAndDestroy();
      l.upstream?.destroy();
      this.links.delete(l);
    }
  }

  /** Closes the port for `ms` (connections refused) after resetting open connections, then reopens it. */
  async refuse(ms: number): Promise<void> {
    this.counts.refusals++;
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    this.reset();
    await closed;
    this.counts.resets--; // part of the refusal, not a separate fault
    await new Promise((r) => setTimeout(r, ms));
    await this.start();
  }

  get openConnections(): number {
    return this.links.size;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const l of [...this.links]) {
      l.client.destroy();
      l.upstream?.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const p = new FaultProxy(upstreamPort);
  await p.start();
  return p;
}

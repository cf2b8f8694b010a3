// An HTTP proxy per operator instance that records every write the instance sends (arrival time, verb, path,
// answer) and, for Lease writes, the holder the server stored. Since each instance has its own proxy, the
// record says exactly who wrote what and when, without trusting the operator's own bookkeeping.
// kill() cuts the instance off at once (open requests die, new connections are refused): with the
// instance's stop() right after, it is as close to SIGKILL as an in-process operator gets.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedWrite {
  instance: string;
  method: string;
  path: string;
  /** When the request reached the proxy, and when the answer came back (ms since epoch). */
  sentAt: number;
  answeredAt: number;
  status: number;
  /** For Lease writes answered 2xx: the holderIdentity now stored. */
  leaseHolder?: string;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isLeasePath = (path: string) => /\/leases(\/|\?|$)/.test(path);

export class RecordingProxy {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new http.Agent({ keepAlive: true });
  private killed = false;
  port = 0;

  constructor(
    readonly instance: string,
    private readonly upstream: URL,
    private readonly log: RecordedWrite[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.forward(req, res));
    server.on('connection', (s) => {
      if (this.killed) return s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sentAt = Date.now();
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const isWrite = !READS.has(method);
    // Recorded when it arrives: a write cut off by kill() may still have reached the server.
    const entry: RecordedWrite | undefined = isWrite
      ? { instance: this.instance, method, path: path.split('?')[0], sentAt, answeredAt: NaN, status: 0 }
      : undefined;
    if (entry) this.log.push(entry);
    const up = http.request(
      { host: this.upstream.hostname, port: this.upstream.port, method, path, headers: req.headers, agent: this.agent },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        res.flushHeaders();
        const chunks: Buffer[] = [];
        const lease = isWrite && isLeasePath(path);
        ures.on('data', (d: Buffer) => {
          if (lease) chunks.push(d);
          res.write(d);
        });
        ures.on('end', () => {
          res.end();
          if (!entry) return;
          entry.status = ures.statusCode ?? 0;
          entry.answeredAt = Date.now();
          if (lease && entry.status >= 200 && entry.status < 300) {
            try {
              entry.leaseHolder = JSON.parse(Buffer.concat(chunks).toString('utf8')).spec?.holderIdentity ?? '';
            } catch {
              entry.leaseHolder = undefined;
            }
          }
        });
        ures.on('error', () => res.destroy());
        res.on('close', () => ures.destroy());
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  }

  /** Cut the instance off: every open connection dies, new ones are refused. */
  kill(): void {
    this.killed = true;
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }

  async close(): Promise<void> {
    this.kill();
    this.agent.destroy();
  }
}

export interface TermViolation {
  write: RecordedWrite;
  holderAtThatTime: string;
}

/**
 * Leadership terms from the Lease writes of all instances, and every non-Lease write that fell outside a
 * term of its own instance. A term of X starts when X's winning Lease write was answered and ends when any
 * other instance's Lease write that changed the holder (a takeover, or X's release) reached the server.
 * Only 2xx answers count.
 */
export function termViolations(writes: RecordedWrite[]): {
  terms: Array<{ holder: string; from: number; to: number }>;
  violations: TermViolation[];
} {
  const leaseWrites = writes.filter((w) => w.leaseHolder !== undefined).sort((a, b) => a.sentAt - b.sentAt);
  const terms: Array<{ holder: string; from: number; to: number }> = [];
  for (const w of leaseWrites) {
    const last = terms[terms.length - 1];
    if (last && last.holder === w.leaseHolder) continue; // a renewal
    if (last) last.to = w.sentAt; // the holder changed no earlier than this request reached the server
    terms.push({ holder: w.leaseHolder!, from: w.answeredAt, to: Infinity });
  }
  const violations: TermViolation[] = [];
  for (const w of writes) {
    if (isLeasePath(w.path)) continue;
    const ok = terms.some((t) => t.holder === w.instance && t.from <= w.sentAt && w.sentAt < t.to);
    if (!ok) {
      const at = terms.find((t) => t.from <= w.sentAt && w.sentAt < t.to);
      violations.push({ write: w, holderAtThatTime: at ? at.holder || '(released)' : '(changing hands)' });
    }
  }
  return { terms, violations };
}

// The cluster DNS of the test world (CoreDNS's part): A records for `<svc>.<ns>.svc.cluster.local` (the ClusterIP,
// or the ready endpoints of a headless Service) and CNAMEs for ExternalName Services, over UDP on the node's pod
// network address. Everything else is NXDOMAIN: the test world has no outside DNS.
import dgram from 'node:dgram';

export type DnsAnswer = { a: string[] } | { cname: string } | undefined;

export const CLUSTER_DOMAIN = 'cluster.local';
const TTL = 5; // CoreDNS's kubernetes plugin default
const TYPE_A = 1;
const TYPE_CNAME = 5;

interface Question {
  name: string;
  type: number;
  end: number;
}

function readQuestion(msg: Buffer): Question | undefined {
  let off = 12;
  const labels: string[] = [];
  while (off < msg.length) {
    const len = msg[off];
    if (len === 0) {
      off += 1;
      break;
    }
    if (len > 63) return undefined; // no compression in questions
    labels.push(msg.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += 1 + len;
  }
  if (off + 4 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(off), end: off + 4 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])),
    Buffer.from([0]),
  ]);
}

function record(nameBytes: Buffer, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // IN
  fixed.writeUInt32BE(TTL, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([nameBytes, fixed, data]);
}

/** Builds the response to `query`, answering from `lookup`. Exported for tests of the encoding. */
export function answerQuery(query: Buffer, lookup: (name: string) => DnsAnswer): Buffer | undefined {
  if (query.length < 12) return undefined;
  const q = readQuestion(query);
  if (!q) return undefined;
  const header = Buffer.from(query.subarray(0, 12));
  const rd = query[2] & 0x01;
  const answers: Buffer[] = [];
  let rcode = 0;
  const found = lookup(q.name);
  if (found === undefined)
    rcode = 3; // NXDOMAIN
  else if ('cname' in found) {
    answers.push(record(Buffer.from([0xc0, 0x0c]), TYPE_CNAME, encodeName(found.cname)));
  } else if (q.type === TYPE_A) {
    for (const ip of found.a)
      answers.push(record(Buffer.from([0xc0, 0x0c]), TYPE_A, Buffer.from(ip.split('.').map(Number))));
  }
  header[2] = 0x84 | rd; // QR, AA, RD copied
  header[3] = rcode; // RA=0
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  return Buffer.concat([header, query.subarray(12, q.end), ...answers]);
}

export interface DnsServer {
  address: string;
  close(): Promise<void>;
}

export async function startDnsServer(address: string, lookup: (name: string) => DnsAnswer): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const reply = answerQuery(msg, lookup);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, address, () => resolve());
  });
  return { address, close: () => new Promise((r) => socket.close(() => r())) };
}

/** The resolv.conf a pod in `namespace` gets (ClusterFirst), as the kubelet writes it. */
export function podResolvConf(nameserver: string, namespace: string): string {
  return (
    `nameserver ${nameserver}\n` +
    `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\n` +
    'options ndots:5\n'
  );
}

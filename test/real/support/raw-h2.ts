// A bare HTTP/2 (h2c, prior knowledge) client that sends what it is told, even past the server's
// SETTINGS_MAX_CONCURRENT_STREAMS (a real client library queues instead), and reports what the server answered.
import net from 'node:net';

const FRAME = { HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, GOAWAY: 7 } as const;
const END_STREAM_AND_HEADERS = 0x5;
const ACK = 0x1;

function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, payload]);
}

/** HPACK without the dynamic table or Huffman: indexed :method GET, :scheme http, :path /; literal others. */
function requestHeaders(authority: string, headers: Record<string, string>): Buffer {
  const literal = (name: string, value: string, nameIndex = 0) =>
    Buffer.concat([
      Buffer.from([nameIndex, ...(nameIndex ? [] : [name.length])]),
      nameIndex ? Buffer.alloc(0) : Buffer.from(name),
      Buffer.from([value.length]),
      Buffer.from(value),
    ]);
  return Buffer.concat([
    Buffer.from([0x82, 0x86, 0x84]),
    literal(':authority', authority, 1),
    ...Object.entries(headers).map(([n, v]) => literal(n, v)),
  ]);
}

export interface H2Outcome {
  /** Streams the server answered with response HEADERS. */
  answered: number[];
  /** Streams the server reset, with the error code (7 = REFUSED_STREAM). */
  reset: { stream: number; code: number }[];
  goaway?: { lastStream: number; code: number };
}

/** Opens `streams` requests at once on one connection, then collects frames for `waitMs`. */
export function openStreamsAtOnce(
  host: string,
  port: number,
  streams: number,
  headers: Record<string, string>,
  waitMs: number,
): Promise<H2Outcome> {
  return new Promise((resolve, reject) => {
    const out: H2Outcome = { answered: [], reset: [] };
    const s = net.connect(port, host, () => {
      s.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      s.write(frame(FRAME.SETTINGS, 0, 0));
      const all = [...Array(streams).keys()].map((i) =>
        frame(FRAME.HEADERS, END_STREAM_AND_HEADERS, 1 + 2 * i, requestHeaders('edge', headers)),
      );
      s.write(Buffer.concat(all));
    });
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 9 && buf.length >= 9 + buf.readUIntBE(0, 3)) {
        const len = buf.readUIntBE(0, 3);
        const [type, flags, stream, payload] = [
          buf[3],
          buf[4],
          buf.readUInt32BE(5) & 0x7fffffff,
          buf.subarray(9, 9 + len),
        ];
        buf = buf.subarray(9 + len);
        if (type === FRAME.SETTINGS && !(flags & ACK)) s.write(frame(FRAME.SETTINGS, ACK, 0));
        else if (type === FRAME.HEADERS) out.answered.push(stream);
        else if (type === FRAME.RST_STREAM) out.reset.push({ stream, code: payload.readUInt32BE(0) });
        else if (type === FRAME.GOAWAY)
          out.goaway = { lastStream: payload.readUInt32BE(0) & 0x7fffffff, code: payload.readUInt32BE(4) };
      }
    });
    s.on('error', reject);
    setTimeout(() => {
      s.destroy();
      resolve(out);
    }, waitMs);
  });
}

// IP address literals read the way resolvers read them. An ExternalName of `127.1`, `0x7f.0.0.1`, `017700000001`
// or `2130706433` is 127.0.0.1 to getaddrinfo/inet_aton (BSD and glibc accept one to four parts, each decimal,
// octal with a leading 0 or hex with 0x, the last part filling the remaining bytes), and `::ffff:127.0.0.1` is
// the same address over IPv6. Checking the text against "127." would miss all of them, so the compiler parses
// first and classifies the bytes. Pure and linear in the length.

export type IpAddress = { family: 4; bytes: number[] } | { family: 6; bytes: number[] };

const IPV4_PART = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$/;

function partValue(part: string): number | undefined {
  if (!IPV4_PART.test(part)) return undefined;
  if (/^0[xX]/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16); // "0x" alone is 0 to inet_aton
  if (part.length > 1 && part.startsWith('0')) return parseInt(part.slice(1), 8);
  return Number(part);
}

/** inet_aton: `a`, `a.b`, `a.b.c` or `a.b.c.d` (the last part fills the remaining bytes). Undefined if not one. */
export function parseIpv4Loose(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === '' || p.length > 34)) return undefined;
  const values = parts.map(partValue);
  if (values.some((v) => v === undefined || !Number.isFinite(v))) return undefined;
  const nums = values as number[];
  const last = nums[nums.length - 1];
  const leading = nums.slice(0, -1);
  if (leading.some((v) => v > 255)) return undefined;
  const restBytes = 4 - leading.length;
  if (last >= 2 ** (8 * restBytes)) return undefined;
  const tail: number[] = [];
  let v = last;
  for (let i = 0; i < restBytes; i++) {
    tail.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  return [...leading, ...tail];
}

/** RFC 4291 text forms, including `::` and a dotted IPv4 tail; a `%zone` is refused (not an address to route to). */
export function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':') || text.includes('%') || text.length > 45) return undefined;
  let head = text;
  let v4tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const quad = text.slice(lastColon + 1).split('.');
    if (quad.length !== 4 || quad.some((q) => !/^(0|[1-9][0-9]{0,2})$/.test(q) || Number(q) > 255)) return undefined;
    v4tail = quad.map(Number);
    head = `${text.slice(0, lastColon + 1)}0:0`; // two placeholder groups, replaced by the four bytes below
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...left, ...new Array(halves.length === 2 ? missing : 0).fill(0), ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 255]);
  if (v4tail.length) bytes.splice(12, 4, ...v4tail);
  return bytes;
}

/** A literal as a resolver would take it: IPv4 (loose, inet_aton), or IPv6 with or without brackets. */
export function parseIpLiteral(text: string): IpAddress | undefined {
  const t = text.replace(/^\[(.*)\]$/, '$1');
  const v6 = parseIpv6(t);
  if (v6) return { family: 6, bytes: v6 };
  const v4 = parseIpv4Loose(t);
  return v4 ? { family: 4, bytes: v4 } : undefined;
}

/** Canonical text (dotted quad; RFC 5952 for IPv6), so what Envoy is given is what was checked. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The IPv4 address an IPv6 one carries and that a host would reach: mapped, compatible or NAT64 (RFC 6052). */
function embeddedIpv4(bytes: number[]): number[] | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && bytes[15] === 1)) return bytes.slice(12); // ::a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12))
    return bytes.slice(12); // 64:ff9b::/96
  return undefined;
}

function v4Problem(b: number[]): string | undefined {
  if (b[0] === 127) return 'a loopback address';
  if (b[0] === 0) return 'the unspecified address (0.0.0.0/8 reaches the host itself)';
  if (b[0] === 169 && b[1] === 254) return 'a link-local address (cloud metadata endpoints live there)';
  if (b[0] === 100 && b[1] === 100 && b[2] === 100 && b[3] === 200)
    return 'a cloud metadata address (Alibaba Cloud 100.100.100.200)';
  if (b.every((x) => x === 255)) return 'the broadcast address';
  return undefined;
}

/** Why the gateway must never connect to `ip`, or undefined. */
export function forbiddenIpProblem(ip: IpAddress): string | undefined {
  if (ip.family === 4) return v4Problem(ip.bytes);
  const b = ip.bytes;
  const v4 = embeddedIpv4(b);
  if (v4) {
    const p = v4Problem(v4);
    return p ? `${p}, written as IPv6` : undefined;
  }
  if (b.slice(0, 15).every((x) => x === 0) && (b[15] === 0 || b[15] === 1))
    return b[15] === 1 ? 'a loopback address' : 'the unspecified address';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'a link-local address (cloud metadata endpoints live there)';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'a site-local address';
  if (formatIp(ip) === 'fd00:ec2::254') return 'a cloud metadata address (AWS IMDS over IPv6)';
  if (b[0] === 0xff) return 'a multicast address';
  return undefined;
}

// Seeded requests of the kinds that make gateways disagree: paths with empty, dot and percent-encoded segments,
// case changes and query strings; hosts with ports, trailing dots, upper case and wildcard depth.

export interface GeneratedRequest {
  host: string;
  path: string;
}

const HOSTS = [
  'anything.test',
  'api.devdiff.test',
  'API.DevDiff.Test',
  'api.devdiff.test:8080',
  'api.devdiff.test.',
  'x.wild.devdiff.test',
  'a.b.wild.devdiff.test',
  'wild.devdiff.test',
  'X.WILD.devdiff.test:80',
  'secure.devdiff.test',
  'secure.devdiff.test:80',
  'SECURE.devdiff.test',
];
const SEGMENTS = [
  'alpha',
  'alpha',
  'deep',
  'beta',
  'betas',
  'canary',
  'missing',
  'w',
  'x',
  'ALPHA',
  'Alpha',
  '',
  '.',
  '..',
  '%2e',
  '%2E%2E',
  '%2F',
  '%2f',
  '%5C',
  'a%20b',
  '~u',
  '%7Eu',
  'alpha%2Fdeep',
  'b',
  'é',
  '%41lpha',
];
const QUERIES = ['', '', '', '?q=1', '?q=%2F&x=y', '?', '?a=b/../c'];

/** mulberry32: small, seeded, good enough to spread test inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedRequests(seed: number, count: number): GeneratedRequest[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: GeneratedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rand() * 4);
    const segs = Array.from({ length: n }, () => encodeIfNeeded(pick(SEGMENTS)));
    const sep = () => (rand() < 0.15 ? '//' : '/');
    let path = segs.reduce((p, s) => `${p}${sep()}${s}`, '');
    if (rand() < 0.3) path += '/';
    out.push({ host: pick(HOSTS), path: `${path}${pick(QUERIES)}` });
  }
  return out;
}

/** Non-ASCII segments go out percent-encoded, as a client must send them. */
function encodeIfNeeded(s: string): string {
  return /^[\x21-\x7e]*$/.test(s) ? s : encodeURIComponent(s);
}

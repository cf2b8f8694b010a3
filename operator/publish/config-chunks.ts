// The published form of envoy.json, so a config of any size fits Kubernetes' 1 MiB object limit: the JSON is
// gzip'd and the compressed bytes cut into parts of at most PART_BYTES, each a `binaryData` key
// `envoy.json.gz.NNN`. Two small text keys go with part 000: `envoy.json.parts` (the part keys, in order, one
// a line) and `envoy.json.sha256` (sha256sum's format, over the uncompressed JSON). The Envoy pod's init step
// concatenates the parts listed, gunzips, and checks the sum (manifests/base/envoy/deployment.yaml);
// unpackConfig below does exactly the same in TypeScript (portico dev, tests). Pure: no I/O.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync, constants as zlib } from 'node:zlib';

export const PLAIN_KEY = 'envoy.json';
export const PARTS_KEY = 'envoy.json.parts';
export const SUM_KEY = 'envoy.json.sha256';
/** 512 KiB of bytes is 683 KiB of base64 on the wire: well under the 1 MiB data limit and etcd's 1.5 MiB. */
export const PART_BYTES = 512 * 1024;

export const partKey = (i: number): string => `envoy.json.gz.${String(i).padStart(3, '0')}`;

export interface PackedConfig {
  /** Part keys and bytes, in order; never empty. */
  parts: Array<{ key: string; bytes: Buffer }>;
  /** `envoy.json.parts` content. */
  partsList: string;
  /** `envoy.json.sha256` content: "<hex>  envoy.json\n". */
  sumLine: string;
  jsonBytes: number;
  gzipBytes: number;
}

/** Deterministic for a given zlib: no name and mtime 0 in the gzip header. */
export function packConfig(json: string, partBytes = PART_BYTES): PackedConfig {
  if (!(partBytes > 0)) throw new Error(`packConfig: part size must be positive, got ${partBytes}`);
  const raw = Buffer.from(json, 'utf8');
  // Level 6 (zlib's default) compresses 10k routes ~10× in ~70 ms; 9 gains ~3 % for twice the time.
  const gz = gzipSync(raw, { level: 6, strategy: zlib.Z_DEFAULT_STRATEGY });
  const parts: PackedConfig['parts'] = [];
  for (let off = 0, i = 0; off < gz.length || i === 0; off += partBytes, i++)
    parts.push({ key: partKey(i), bytes: gz.subarray(off, off + partBytes) });
  return {
    parts,
    partsList: parts.map((p) => p.key).join('\n') + '\n',
    sumLine: `${createHash('sha256').update(raw).digest('hex')}  ${PLAIN_KEY}\n`,
    jsonBytes: raw.length,
    gzipBytes: gz.length,
  };
}

export class UnpackError extends Error {}

/**
 * The files of the projected config volume (key → content; binaryData as bytes) → envoy.json, as the init
 * step does it: a plain `envoy.json` (the manifests' placeholder) is taken as is; otherwise the parts listed
 * in `envoy.json.parts` are joined, gunzipped and checked against `envoy.json.sha256`.
 */
export function unpackConfig(files: ReadonlyMap<string, Buffer | string>): string {
  const text = (key: string): string | undefined => {
    const v = files.get(key);
    return v === undefined ? undefined : typeof v === 'string' ? v : v.toString('utf8');
  };
  const list = text(PARTS_KEY);
  if (list === undefined) {
    const plain = text(PLAIN_KEY);
    if (plain === undefined)
      throw new UnpackError(
        `neither ${PARTS_KEY} nor ${PLAIN_KEY} is present (keys: ${[...files.keys()].join(', ') || 'none'})`,
      );
    return plain;
  }
  const keys = list.split('\n').filter((k) => k !== '');
  if (keys.length === 0) throw new UnpackError(`${PARTS_KEY} lists no parts`);
  const chunks = keys.map((k) => {
    const v = files.get(k);
    if (v === undefined) throw new UnpackError(`part ${k} listed in ${PARTS_KEY} is missing`);
    return typeof v === 'string' ? Buffer.from(v, 'binary') : v;
  });
  let raw: Buffer;
  try {
    raw = gunzipSync(Buffer.concat(chunks));
  } catch (err) {
    throw new UnpackError(`the parts do not gunzip: ${(err as Error).message}`);
  }
  const expected = /^([0-9a-f]{64})\s/.exec(text(SUM_KEY) ?? '')?.[1];
  if (!expected) throw new UnpackError(`${SUM_KEY} is missing or malformed`);
  const actual = createHash('sha256').update(raw).digest('hex');
  if (actual !== expected)
    throw new UnpackError(`sha256 of the unpacked config is ${actual}, ${SUM_KEY} says ${expected}`);
  return raw.toString('utf8');
}

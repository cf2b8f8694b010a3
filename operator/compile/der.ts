// A minimal DER reader for the few certificate fields Node's X509Certificate does not expose (the keyUsage
// extension, how the public key names its curve). Reads tag-length-value items; never throws on bad input,
// it returns undefined instead. Definite lengths only, as DER requires.

export interface DerItem {
  tag: number;
  /** The value's bytes (without tag and length). */
  value: Uint8Array;
  /** Offset just past this item in the buffer it was read from. */
  end: number;
}

export function readDer(buf: Uint8Array, offset = 0): DerItem | undefined {
  if (offset + 2 > buf.length) return undefined;
  const tag = buf[offset];
  let len = buf[offset + 1];
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > buf.length) return undefined;
  return { tag, value: buf.subarray(start, start + len), end: start + len };
}

/** The items inside a constructed value (SEQUENCE, SET, explicit tag), or undefined if they do not parse. */
export function derChildren(value: Uint8Array): DerItem[] | undefined {
  const out: DerItem[] = [];
  for (let at = 0; at < value.length;) {
    const item = readDer(value, at);
    if (!item) return undefined;
    out.push(item);
    at = item.end;
  }
  return out;
}

export const DER = { BOOLEAN: 0x01, BIT_STRING: 0x03, OCTET_STRING: 0x04, OID: 0x06, SEQUENCE: 0x30 } as const;

/** An OID's DER value as dotted text ("2.5.29.15"). */
export function oidText(value: Uint8Array): string {
  if (value.length === 0) return '';
  const parts = [Math.floor(value[0] / 40), value[0] % 40];
  let n = 0;
  for (let i = 1; i < value.length; i++) {
    n = n * 128 + (value[i] & 0x7f);
    if (!(value[i] & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

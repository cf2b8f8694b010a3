// PEM text → its blocks (label + full block text), tolerating the text openssl puts around blocks ("Bag
// Attributes", comments). Linear scan; never echoes the content anywhere.

export interface PemBlock {
  label: string;
  text: string;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]{1,64})-----/g;

export function pemBlocks(pem: string): PemBlock[] {
  const out: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(pem); m !== null; m = BEGIN.exec(pem)) {
    const end = `-----END ${m[1]}-----`;
    const stop = pem.indexOf(end, m.index + m[0].length);
    if (stop < 0) {
      out.push({ label: `${m[1]} (unterminated)`, text: '' });
      break;
    }
    out.push({ label: m[1], text: `${pem.slice(m.index, stop + end.length)}\n` });
    BEGIN.lastIndex = stop + end.length;
  }
  return out;
}

/**
 * Decoded size of a base64 string without decoding it, so a 5 MB value costs nothing to refuse. Exact for
 * API-server data (no whitespace); whitespace only makes it an overestimate.
 */
export function base64DecodedLength(b64: string): number {
  const len = b64.length;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((len * 3) / 4) - padding);
}

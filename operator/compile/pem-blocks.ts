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

/**
 * Whether the PEM text is laid out as Envoy's TLS library (BoringSSL) reads it, which is stricter than
 * OpenSSL's reader behind Node's X509Certificate: inside a block only base64 lines (no header, no blank line
 * once the body has started, padding only at the end) up to an END line with the same label. Text between blocks is allowed. Returns
 * where the layout breaks (1-based line numbers, never the content), or undefined. Found by loading fuzzed
 * Secrets into real Envoy: a damaged END line (`-----ENé CERTIFICATE-----`) made OpenSSL read one certificate
 * and BoringSSL refuse the file.
 */
export function pemLayoutProblem(pem: string): string | undefined {
  const lines = pem.split('\n');
  let open: { label: string; line: number; body: number; padded: boolean } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/[ \t\r]+$/, '');
    const n = i + 1;
    if (i === lines.length - 1 && line === '') break; // the text's final newline
    if (!open) {
      if (line.includes('-----BEGIN ') && !line.startsWith('-----BEGIN '))
        return `line ${n} has text before "-----BEGIN" (a block starts at the start of a line)`;
      if (!line.startsWith('-----BEGIN ')) continue;
      const m = /^-----BEGIN (\S(?:.*\S)?)-----$/.exec(line);
      if (!m || m[1].includes('-----')) return `line ${n} starts a PEM block but is not "-----BEGIN <label>-----"`;
      open = { label: m[1], line: n, body: 0, padded: false };
      continue;
    }
    if (line.startsWith('-----END ')) {
      if (line !== `-----END ${open.label}-----`)
        return `line ${n} does not end the PEM block that starts on line ${open.line} (its END label differs)`;
      if (open.body === 0) return `the PEM block on line ${open.line} is empty`;
      open = undefined;
      continue;
    }
    const body = line.replace(/[ \t]/g, '');
    if (body === '' && open.body === 0) continue; // read as the end of an empty header section
    if (body === '') return `line ${n} is blank inside the PEM block that starts on line ${open.line}`;
    if (!/^[A-Za-z0-9+/]*=*$/.test(body) || open.padded)
      return `line ${n} is not base64 inside the PEM block that starts on line ${open.line}`;
    open.body += body.length;
    open.padded = body.endsWith('=');
  }
  return open ? `the PEM block on line ${open.line} has no END line` : undefined;
}

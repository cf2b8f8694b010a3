// Just enough X.509 to run the xDS channel's own small CA (pure apart from randomness): an ECDSA P-256 CA, and
// leaf certificates it signs for the operator's ADS server (serverAuth, DNS names) and for the Envoy pods
// (clientAuth). Node can create keys and signatures but not certificates, so the TBSCertificate is DER-encoded
// here (RFC 5280), signed with node:crypto, and read back with X509Certificate to check it.
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';

// DER: tag, length, contents.
function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  return tlv(0x02, body[0] & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const name = (cn: string, org = 'portico') =>
  seq(set(seq(oid('2.5.4.10'), utf8(org))), set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** keyUsage bits: digitalSignature (0), keyCertSign (5), cRLSign (6), as a DER BIT STRING. */
function keyUsage(ca: boolean): Buffer {
  // First byte: unused bits in the last octet; bit 0 is the most significant.
  return ca ? tlv(0x03, Buffer.from([0x01, 0x86])) : tlv(0x03, Buffer.from([0x07, 0x80]));
}

export interface CertificateRequest {
  commonName: string;
  /** DNS subjectAltNames (a server certificate). */
  dnsNames?: string[];
  usage: 'ca' | 'server' | 'client';
  notBefore: Date;
  notAfter: Date;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

function build(
  req: CertificateRequest,
  subjectKey: KeyObject,
  issuer: { name: Buffer; key: KeyObject } | undefined,
): string {
  const subject = name(req.commonName);
  const exts = [
    extension('2.5.29.19', true, req.usage === 'ca' ? seq(bool(true)) : seq()),
    extension('2.5.29.15', true, keyUsage(req.usage === 'ca')),
  ];
  if (req.usage !== 'ca')
    exts.push(
      extension('2.5.29.37', false, seq(oid(req.usage === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'))),
    );
  if (req.dnsNames?.length)
    exts.push(extension('2.5.29.17', false, seq(...req.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))))));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive, 16 bytes
    ECDSA_SHA256,
    issuer?.name ?? subject,
    seq(time(req.notBefore), time(req.notAfter)),
    subject,
    createPublicKey(subjectKey).export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, issuer?.key ?? subjectKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const keyPem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

export function createCertificateAuthority(commonName: string, notBefore: Date, notAfter: Date): CertificateAuthority {
  const key = newKey();
  return { certPem: build({ commonName, usage: 'ca', notBefore, notAfter }, key, undefined), keyPem: keyPem(key) };
}

export function issueCertificate(
  ca: CertificateAuthority,
  req: Omit<CertificateRequest, 'usage'> & { usage: 'server' | 'client' },
): IssuedCertificate {
  const caCert = new X509Certificate(ca.certPem);
  const issuerName = subjectNameDer(caCert);
  const key = newKey();
  const certPem = build(req, key, { name: issuerName, key: createPrivateKey(ca.keyPem) });
  return { certPem, keyPem: keyPem(key), notAfter: req.notAfter };
}

/** The subject Name of a certificate, as DER (the issuer field of what it signs). */
function subjectNameDer(cert: X509Certificate): Buffer {
  // Walk the DER: Certificate → TBSCertificate → [version, serial, sigAlg, issuer, validity, subject].
  const der = cert.raw;
  const children = (buf: Buffer, at: number): Array<{ start: number; end: number; body: number }> => {
    const out = [];
    const { body, end } = header(buf, at);
    for (let p = body; p < end;) {
      const h = header(buf, p);
      out.push({ start: p, end: h.end, body: h.body });
      p = h.end;
    }
    return out;
  };
  const tbs = children(der, 0)[0];
  const fields = children(der, tbs.start);
  const subject = fields[fields[0] && der[fields[0].start] === 0xa0 ? 5 : 4];
  return der.subarray(subject.start, subject.end);
}

function header(buf: Buffer, at: number): { body: number; end: number } {
  const first = buf[at + 1];
  if (first < 0x80) return { body: at + 2, end: at + 2 + first };
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = (len << 8) | buf[at + 2 + i];
  return { body: at + 2 + n, end: at + 2 + n + len };
}

/** Due for renewal once less than a third of its lifetime is left (as cert-manager's default 2/3 renewal). */
export function renewalDue(pem: string, now: Date): boolean {
  const c = new X509Certificate(pem);
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  return now.getTime() >= to - (to - from) / 3;
}

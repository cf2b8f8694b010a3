// Certificate fields read from the DER (der.ts) that decide whether Envoy's TLS library (BoringSSL) will serve
// the certificate: the keyUsage extension's bits, and whether an EC public key names its curve or spells the
// curve's parameters out (BoringSSL refuses explicit parameters).
import { DER, derChildren, oidText, readDer, type DerItem } from './der.js';

export interface CertificateFields {
  /** keyUsage bit names, or undefined when the certificate has no keyUsage extension (any use allowed). */
  keyUsage?: Set<KeyUsage>;
  /** The SubjectPublicKeyInfo algorithm's parameters: a named curve OID, explicit curve parameters, or other. */
  publicKeyParameters: 'named-curve' | 'explicit' | 'other';
}

export type KeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';
const KEY_USAGE_BITS: KeyUsage[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
const KEY_USAGE_OID = '2.5.29.15';

/** The TBSCertificate's fields in order, without the optional [0] version. */
function tbsFields(der: Uint8Array): DerItem[] | undefined {
  const cert = readDer(der);
  const top = cert && cert.tag === DER.SEQUENCE ? derChildren(cert.value) : undefined;
  const tbs = top?.[0]?.tag === DER.SEQUENCE ? derChildren(top[0].value) : undefined;
  if (!tbs) return undefined;
  return tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
}

function keyUsageBits(extnValue: Uint8Array): Set<KeyUsage> | undefined {
  const bits = readDer(extnValue);
  if (!bits || bits.tag !== DER.BIT_STRING || bits.value.length === 0) return undefined;
  const out = new Set<KeyUsage>();
  for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
    const byte = bits.value[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.add(KEY_USAGE_BITS[i]);
  }
  return out;
}

/** Undefined when the DER does not have the shape of a certificate. */
export function certificateFields(der: Uint8Array): CertificateFields | undefined {
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, then optional [1] [2] [3]
  const fields = tbsFields(der);
  const spki = fields?.[5];
  if (!fields || !spki || spki.tag !== DER.SEQUENCE) return undefined;
  const algorithm = derChildren(spki.value)?.[0];
  const params = algorithm && algorithm.tag === DER.SEQUENCE ? derChildren(algorithm.value)?.[1] : undefined;
  const publicKeyParameters =
    params?.tag === DER.OID ? 'named-curve' : params?.tag === DER.SEQUENCE ? 'explicit' : 'other';

  let keyUsage: Set<KeyUsage> | undefined;
  const extensions = fields.find((f) => f.tag === 0xa3);
  const list = extensions ? readDer(extensions.value) : undefined;
  for (const ext of (list && derChildren(list.value)) ?? []) {
    const parts = derChildren(ext.value);
    if (!parts || parts[0]?.tag !== DER.OID || oidText(parts[0].value) !== KEY_USAGE_OID) continue;
    const value = parts.find((p) => p.tag === DER.OCTET_STRING);
    keyUsage = value ? (keyUsageBits(value.value) ?? new Set()) : new Set();
  }
  return { publicKeyParameters, ...(keyUsage ? { keyUsage } : {}) };
}

// The version fields of a PEM private key, which OpenSSL (behind Node's createPrivateKey) ignores and BoringSSL
// (Envoy's TLS library) checks: a PKCS#8 key must be version 0, an EC key inside it or in an `EC PRIVATE KEY`
// block version 1 (RFC 5915), an RSA key version 0 (two primes). Found by the fuzz corpus on real Envoy: a
// key whose EC version byte was damaged loaded in Node and failed Envoy's whole config ("DECODE_ERROR").
import { DER, derChildren, oidText, readDer } from './der.js';
import type { PemBlock } from './pem-blocks.js';

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

function pemDer(block: PemBlock): Uint8Array {
  const body = block.text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .join('');
  return Buffer.from(body.replace(/\s/g, ''), 'base64');
}

/** The INTEGER version at the start of a SEQUENCE, or undefined. */
function versionOf(der: Uint8Array): number | undefined {
  const seq = readDer(der);
  const first = seq && seq.tag === DER.SEQUENCE ? derChildren(seq.value)?.[0] : undefined;
  if (!first || first.tag !== 0x02 || first.value.length !== 1) return undefined;
  return first.value[0];
}

function innerProblem(algorithm: string, der: Uint8Array): string | undefined {
  if (algorithm === 'ec' && versionOf(der) !== 1) return 'its EC key is not version 1 (RFC 5915)';
  if (algorithm === 'rsa' && versionOf(der) !== 0) return 'its RSA key is not version 0 (two primes)';
  return undefined;
}

/** What BoringSSL would refuse in this key block's structure, or undefined. */
export function privateKeyDerProblem(block: PemBlock): string | undefined {
  const der = pemDer(block);
  if (block.label === 'EC PRIVATE KEY') return innerProblem('ec', der);
  if (block.label === 'RSA PRIVATE KEY') return innerProblem('rsa', der);
  if (block.label !== 'PRIVATE KEY') return undefined;
  const seq = readDer(der);
  const parts = seq && seq.tag === DER.SEQUENCE ? derChildren(seq.value) : undefined;
  if (!parts || versionOf(der) !== 0) return 'it is not a version 0 PKCS#8 key';
  const algorithm = parts[1]?.tag === DER.SEQUENCE ? derChildren(parts[1].value)?.[0] : undefined;
  const oid = algorithm?.tag === DER.OID ? oidText(algorithm.value) : '';
  const key = parts[2]?.tag === DER.OCTET_STRING ? parts[2].value : undefined;
  if (!key) return 'it is not a PKCS#8 key';
  return innerProblem(oid === EC_PUBLIC_KEY ? 'ec' : oid === RSA_ENCRYPTION ? 'rsa' : 'other', key);
}

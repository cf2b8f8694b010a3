// Does the private key really work with the leaf certificate? X509Certificate.checkPrivateKey only compares
// the public halves, and an EC or RSA private key carries its public half separately from the secret numbers:
// a key whose secret part is damaged (a flipped character in tls.key) still "matches", and BoringSSL, which
// checks the key's consistency, then refuses the whole Envoy config (found by the fuzz corpus on real Envoy).
// So sign a fixed message with the key and verify it with the certificate. Signing costs up to ~100 ms for
// RSA-8192 and compile runs on every change, so verdicts are remembered by content (a pure function's memo).
import { createHash, sign, verify, type KeyObject, type X509Certificate } from 'node:crypto';

const MESSAGE = Buffer.from('portico: does this key sign for this certificate?');
const MEMO_LIMIT = 1024;
const memo = new Map<string, boolean>();

function digestFor(key: KeyObject): string | null {
  const type = key.asymmetricKeyType;
  return type === 'ed25519' || type === 'ed448' ? null : 'sha256';
}

export function keyPairWorks(cert: X509Certificate, key: KeyObject, keyPem: string): boolean {
  const id = createHash('sha256').update(cert.raw).update('\u0000').update(keyPem).digest('base64');
  const known = memo.get(id);
  if (known !== undefined) return known;
  let works: boolean;
  try {
    const algorithm = digestFor(key);
    works = verify(algorithm, MESSAGE, cert.publicKey, sign(algorithm, MESSAGE, key));
  } catch {
    works = false;
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(id, works);
  return works;
}

// Checks on the parsed certificates of a TLS Secret: key strength (RSA ≥ 2048 bits; ECDSA on P-256/384/521,
// the curves Envoy serves) and chain order (leaf first, then each certificate's issuer). Messages name the
// certificate by its position in tls.crt and never quote its content.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { Reasons } from '../api/conditions.js';

export const MIN_RSA_BITS = 2048;
const ENVOY_EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export type ChainProblem = { reason: string; detail: string } | undefined;

/** Position `index` in tls.crt for messages: "certificate 1 (the leaf)", "certificate 2", … */
export function certificateLabel(index: number): string {
  return index === 0 ? 'certificate 1 (the leaf)' : `certificate ${index + 1}`;
}

export function keyStrengthProblem(key: KeyObject, index: number): ChainProblem {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return { reason: Reasons.WeakKey, detail: `${certificateLabel(index)} has a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required` };
    return undefined;
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    if (!ENVOY_EC_CURVES.has(curve)) return { reason: Reasons.UnsupportedKey, detail: `${certificateLabel(index)} has an EC key on curve ${curve}; Envoy serves P-256, P-384 and P-521` };
    return undefined;
  }
  const name = type ?? 'unknown';
  const article = /^[aeiou]/.test(name) ? 'an' : 'a';
  return { reason: Reasons.UnsupportedKey, detail: `${certificateLabel(index)} has ${article} ${name} key; Envoy serves RSA and ECDSA certificates` };
}

/** Each certificate after the first must have issued (and signed) the one before it. */
export function chainOrderProblem(certs: readonly X509Certificate[]): ChainProblem {
  for (let i = 1; i < certs.length; i++) {
    const child = certs[i - 1];
    const issuer = certs[i];
    let signed = false;
    try {
      signed = child.checkIssued(issuer) && child.verify(issuer.publicKey);
    } catch {
      signed = false;
    }
    if (!signed) {
      return {
        reason: Reasons.InvalidCertificateChain,
        detail: `${certificateLabel(i)} did not issue ${certificateLabel(i - 1)}; list the leaf first, then each certificate's issuer in order`,
      };
    }
  }
  return undefined;
}

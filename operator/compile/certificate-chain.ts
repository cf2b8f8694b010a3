// Checks on the parsed certificates of a TLS Secret: what Envoy 1.40's TLS library (BoringSSL) can serve as
// the leaf, a policy on the rest of the chain (no RSA under 2048 bits), and chain order (leaf first, then each
// certificate's issuer). Each leaf rule was seen on the pinned Envoy (test/envoy-real/certificate-verdicts):
// RSA of 2048 to 16384 bits as rsaEncryption (RSA-PSS keys are refused), ECDSA on P-256/P-384/P-521 with a named curve
// and, if keyUsage is present, digitalSignature, and Ed25519. Messages name the certificate by its position in
// tls.crt and never quote its content.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { Reasons } from '../api/conditions.js';
import { certificateFields } from './certificate-fields.js';

export const MIN_RSA_BITS = 2048;
/** BoringSSL reads no larger RSA key (OPENSSL_RSA_MAX_MODULUS_BITS); Node verifies none either. */
export const MAX_RSA_BITS = 16384;
/** OpenSSL's names of the curves BoringSSL serves ECDSA certificates on. */
const ENVOY_EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const SERVED =
  'Envoy serves RSA (rsaEncryption, at least 2048 bits), ECDSA (P-256, P-384, P-521) and Ed25519 certificates';

export type ChainProblem = { reason: string; detail: string } | undefined;

/** Position `index` in tls.crt for messages: "certificate 1 (the leaf)", "certificate 2", … */
export function certificateLabel(index: number): string {
  return index === 0 ? 'certificate 1 (the leaf)' : `certificate ${index + 1}`;
}

const withArticle = (name: string): string => `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;

/** What keeps Envoy from serving this certificate as the leaf, or undefined. */
export function leafKeyProblem(cert: X509Certificate, key: KeyObject): ChainProblem {
  const leaf = certificateLabel(0);
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      return {
        reason: Reasons.WeakKey,
        detail: `${leaf} has a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`,
      };
    if (bits > MAX_RSA_BITS)
      return {
        reason: Reasons.UnsupportedKey,
        detail: `${leaf} has a ${bits}-bit RSA key; Envoy reads RSA keys of at most ${MAX_RSA_BITS} bits`,
      };
    return undefined;
  }
  if (type === 'rsa-pss')
    return {
      reason: Reasons.UnsupportedKey,
      detail: `${leaf} has an RSA-PSS (rsassaPss) key, which Envoy cannot load; issue it with a plain RSA (rsaEncryption) key. ${SERVED}`,
    };
  if (type === 'ed25519') return undefined;
  if (type !== 'ec')
    return { reason: Reasons.UnsupportedKey, detail: `${leaf} has ${withArticle(type ?? 'unknown')} key; ${SERVED}` };

  const curve = details.namedCurve ?? 'unknown';
  if (!ENVOY_EC_CURVES.has(curve))
    return { reason: Reasons.UnsupportedKey, detail: `${leaf} has an EC key on curve ${curve}; ${SERVED}` };
  const fields = certificateFields(cert.raw);
  if (fields?.publicKeyParameters !== 'named-curve')
    return {
      reason: Reasons.UnsupportedKey,
      detail: `${leaf} spells out its EC curve's parameters instead of naming the curve, which Envoy cannot load; issue it with a named curve`,
    };
  if (fields.keyUsage && !fields.keyUsage.has('digitalSignature')) {
    const has = fields.keyUsage.size > 0 ? [...fields.keyUsage].join(', ') : 'no usage';
    return {
      reason: Reasons.InvalidCertificate,
      detail: `${leaf} is an ECDSA certificate whose keyUsage (${has}) lacks digitalSignature, which it needs to sign the TLS handshake; Envoy cannot load it`,
    };
  }
  return undefined;
}

/** The chain's other certificates are not served by Envoy, only sent; policy: no RSA under 2048 bits. */
export function issuerKeyProblem(key: KeyObject, index: number): ChainProblem {
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'rsa-pss') return undefined;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    return {
      reason: Reasons.WeakKey,
      detail: `${certificateLabel(index)} has a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`,
    };
  return undefined;
}

/** Each certificate after the first must have issued (and signed) the one before it. */
export function chainOrderProblem(certs: readonly X509Certificate[]): ChainProblem {
  for (let i = 1; i < certs.length; i++) {
    const child = certs[i - 1];
    const issuer = certs[i];
    let signed: boolean;
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

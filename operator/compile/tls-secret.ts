// Checks a kubernetes.io/tls Secret before its certificate is served: present, right type, small enough to
// publish, PEM laid out as Envoy reads it, certificates that parse, in chain order (leaf first), a leaf Envoy
// can serve and strong keys on the rest, one private key that parses, matches the leaf and signs for it, every
// certificate valid at `now`. Whatever Envoy would refuse is refused here, on this TLSContext, instead of
// failing the whole config (test/envoy-real/certificate-verdicts.test.ts holds our verdicts to Envoy's).
// Messages name the field and the Secret and never quote Secret data. Cheap checks run first, so a 5 MB value
// is refused without being decoded.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { Secret } from '../api/types.js';
import { Reasons } from '../api/conditions.js';
import { certificateLabel, chainOrderProblem, issuerKeyProblem, leafKeyProblem } from './certificate-chain.js';
import { certificateDnsNames } from './certificate-hosts.js';
import { keyPairWorks } from './key-pair-check.js';
import { privateKeyDerProblem } from './private-key-der.js';
import { base64DecodedLength, pemBlocks, pemLayoutProblem } from './pem-blocks.js';

/**
 * tls.crt + tls.key, decoded. A real chain (leaf and three RSA-4096 intermediates) plus its key is ~12 KiB, so
 * 64 KiB leaves 5× headroom and bounds the work of checking a hostile Secret. It must stay under what one
 * published Secret holds (SECRET_DATA_BYTES in publish/cert-sets.ts), so that every file accepted here can be
 * published; test/compile/tls-secret-checks.test.ts checks that.
 */
export const MAX_TLS_SECRET_BYTES = 64 * 1024;

export type SecretCheck =
  | {
      ok: true;
      certPem: string;
      keyPem: string;
      notAfter: string;
      /** The leaf's subjectAltName DNS names. */ dnsNames: string[];
    }
  | { ok: false; reason: string; message: string; notAfter?: string };

const KEY_LABEL = /^(|RSA |EC |ENCRYPTED )PRIVATE KEY$/;

function decode(data: Record<string, string> | undefined, key: string): string | undefined {
  const v = data?.[key];
  if (typeof v !== 'string' || v === '') return undefined;
  return Buffer.from(v, 'base64').toString('utf8');
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;

export function checkTlsSecret(secret: Secret | undefined, id: string, nowIso: string): SecretCheck {
  if (!secret) return { ok: false, reason: Reasons.SecretNotFound, message: `spec.secret: Secret ${id} not found` };
  if (secret.type !== 'kubernetes.io/tls')
    return {
      ok: false,
      reason: Reasons.InvalidSecretType,
      message: `spec.secret: Secret ${id} has type ${JSON.stringify(typeof secret.type === 'string' ? secret.type.slice(0, 100) : 'Opaque')}, want "kubernetes.io/tls"`,
    };
  const data = typeof secret.data === 'object' && secret.data !== null ? secret.data : undefined;
  const size = ['tls.crt', 'tls.key'].reduce(
    (n, k) => n + (typeof data?.[k] === 'string' ? base64DecodedLength(data[k]) : 0),
    0,
  );
  if (size > MAX_TLS_SECRET_BYTES)
    return {
      ok: false,
      reason: Reasons.TooLarge,
      message: `spec.secret: Secret ${id} tls.crt and tls.key hold ${formatBytes(size)}; the limit is ${formatBytes(MAX_TLS_SECRET_BYTES)} (a real certificate chain and key are far smaller)`,
    };

  const certPem = decode(data, 'tls.crt');
  const blocks = certPem ? pemBlocks(certPem) : [];
  if (!certPem || blocks.length === 0 || !certPem.includes('-----BEGIN CERTIFICATE-----'))
    return {
      ok: false,
      reason: Reasons.InvalidCertificate,
      message: `spec.secret: Secret ${id} has no PEM certificate in tls.crt`,
    };
  const certLayout = pemLayoutProblem(certPem);
  if (certLayout)
    return {
      ok: false,
      reason: Reasons.InvalidCertificate,
      message: `spec.secret: Secret ${id} tls.crt: ${certLayout}`,
    };
  const foreign = blocks.find((b) => b.label !== 'CERTIFICATE');
  if (foreign)
    return {
      ok: false,
      reason: Reasons.InvalidCertificate,
      message: `spec.secret: Secret ${id} tls.crt: holds a ${foreign.label} block; only CERTIFICATE blocks belong there`,
    };
  const certs: X509Certificate[] = [];
  for (let i = 0; i < blocks.length; i++) {
    try {
      certs.push(new X509Certificate(blocks[i].text));
    } catch {
      const which = blocks.length === 1 ? 'tls.crt' : `${certificateLabel(i)} in tls.crt`;
      return {
        ok: false,
        reason: Reasons.InvalidCertificate,
        message: `spec.secret: ${which} of Secret ${id} is not a valid X.509 certificate`,
      };
    }
  }
  const leaf = certs[0];
  const notAfterMs = Date.parse(leaf.validTo);
  const notAfter = Number.isFinite(notAfterMs) ? isoSeconds(notAfterMs) : undefined;
  const fail = (reason: string, message: string): SecretCheck => ({
    ok: false,
    reason,
    message,
    ...(notAfter ? { notAfter } : {}),
  });

  const keyPem = decode(data, 'tls.key');
  const keyBlocks = keyPem ? pemBlocks(keyPem).filter((b) => KEY_LABEL.test(b.label)) : [];
  if (!keyPem || keyBlocks.length === 0)
    return fail(Reasons.InvalidKey, `spec.secret: Secret ${id} has no PEM private key in tls.key`);
  if (keyBlocks.length > 1)
    return fail(
      Reasons.InvalidKey,
      `spec.secret: Secret ${id} tls.key: holds ${keyBlocks.length} private keys; exactly one is allowed`,
    );
  const keyLayout = pemLayoutProblem(keyPem);
  if (keyLayout) return fail(Reasons.InvalidKey, `spec.secret: Secret ${id} tls.key: ${keyLayout}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return fail(Reasons.InvalidKey, `spec.secret: tls.key of Secret ${id} is not a valid private key`);
  }
  const keyStructure = privateKeyDerProblem(keyBlocks[0]);
  if (keyStructure)
    return fail(Reasons.InvalidKey, `spec.secret: tls.key of Secret ${id} cannot be loaded by Envoy: ${keyStructure}`);

  const publicKeys: KeyObject[] = [];
  for (let i = 0; i < certs.length; i++) {
    try {
      publicKeys.push(certs[i].publicKey); // decoded lazily: a certificate can parse and still hold a broken key
    } catch {
      return fail(
        Reasons.InvalidCertificate,
        `spec.secret: Secret ${id} tls.crt: the public key of ${certificateLabel(i)} cannot be read`,
      );
    }
    const weak = i > 0 ? issuerKeyProblem(publicKeys[i], i) : undefined;
    if (weak) return fail(weak.reason, `spec.secret: Secret ${id} tls.crt: ${weak.detail}`);
  }
  if (!matches(leaf, key)) {
    const other = certs.findIndex((c, i) => i > 0 && matches(c, key));
    if (other > 0)
      return fail(
        Reasons.InvalidCertificateChain,
        `spec.secret: Secret ${id} tls.crt: tls.key belongs to ${certificateLabel(other)}; the leaf must come first`,
      );
    return fail(Reasons.KeyMismatch, `spec.secret: tls.key of Secret ${id} does not match the certificate in tls.crt`);
  }
  const unservable = leafKeyProblem(leaf, publicKeys[0]);
  if (unservable) return fail(unservable.reason, `spec.secret: Secret ${id} tls.crt: ${unservable.detail}`);
  if (!keyPairWorks(leaf, key, keyPem))
    return fail(
      Reasons.InvalidKey,
      `spec.secret: tls.key of Secret ${id} is damaged: its public half matches the certificate, but a signature made with it does not verify`,
    );
  const chain = chainOrderProblem(certs);
  if (chain) return fail(chain.reason, `spec.secret: Secret ${id} tls.crt: ${chain.detail}`);

  const now = Date.parse(nowIso);
  const notBeforeMs = Date.parse(leaf.validFrom);
  if (!Number.isFinite(now) || !notAfter || !Number.isFinite(notBeforeMs))
    return fail(
      Reasons.InvalidCertificate,
      `spec.secret: cannot check the validity period of Secret ${id}'s certificate`,
    );
  if (now < notBeforeMs)
    return fail(
      Reasons.CertificateNotYetValid,
      `spec.secret: the certificate in Secret ${id} is not valid before ${new Date(notBeforeMs).toISOString()}`,
    );
  if (now > notAfterMs)
    return fail(Reasons.CertificateExpired, `spec.secret: the certificate in Secret ${id} expired at ${notAfter}`);
  for (let i = 1; i < certs.length; i++) {
    const from = Date.parse(certs[i].validFrom);
    const to = Date.parse(certs[i].validTo);
    if (!Number.isFinite(from) || !Number.isFinite(to))
      return fail(
        Reasons.InvalidCertificate,
        `spec.secret: Secret ${id} tls.crt: cannot read the validity period of ${certificateLabel(i)}`,
      );
    if (!(now >= from))
      return fail(
        Reasons.CertificateNotYetValid,
        `spec.secret: Secret ${id} tls.crt: ${certificateLabel(i)} is not valid before ${isoSeconds(from)}`,
      );
    if (!(now <= to))
      return fail(
        Reasons.CertificateExpired,
        `spec.secret: Secret ${id} tls.crt: ${certificateLabel(i)} expired at ${isoSeconds(to)}`,
      );
  }
  return { ok: true, certPem, keyPem, notAfter, dnsNames: certificateDnsNames(leaf) };
}

function matches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

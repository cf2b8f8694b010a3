// Checks a kubernetes.io/tls Secret before its certificate is served: present, right type, a PEM certificate, a
// private key that parses and matches it, valid at `now`. Messages never quote Secret data.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Secret } from '../api/types.js';
import { Reasons } from '../api/conditions.js';

export type SecretCheck =
  | { ok: true; certPem: string; keyPem: string; notAfter: string }
  | { ok: false; reason: string; message: string; notAfter?: string };

function decode(data: Record<string, string> | undefined, key: string): string | undefined {
  const v = data?.[key];
  if (typeof v !== 'string' || v === '') return undefined;
  return Buffer.from(v, 'base64').toString('utf8');
}

export function checkTlsSecret(secret: Secret | undefined, id: string, nowIso: string): SecretCheck {
  if (!secret) return { ok: false, reason: Reasons.SecretNotFound, message: `spec.secret: Secret ${id} not found` };
  if (secret.type !== 'kubernetes.io/tls')
    return {
      ok: false,
      reason: Reasons.InvalidSecretType,
      message: `spec.secret: Secret ${id} has type ${JSON.stringify(secret.type ?? 'Opaque')}, want "kubernetes.io/tls"`,
    };
  const certPem = decode(secret.data, 'tls.crt');
  if (!certPem || !certPem.includes('-----BEGIN CERTIFICATE-----'))
    return { ok: false, reason: Reasons.InvalidCertificate, message: `spec.secret: Secret ${id} has no PEM certificate in tls.crt` };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return { ok: false, reason: Reasons.InvalidCertificate, message: `spec.secret: tls.crt of Secret ${id} is not a valid X.509 certificate` };
  }
  const notAfterMs = Date.parse(cert.validTo);
  const notBeforeMs = Date.parse(cert.validFrom);
  const notAfter = Number.isFinite(notAfterMs) ? new Date(notAfterMs).toISOString().replace('.000Z', 'Z') : undefined;
  const fail = (reason: string, message: string): SecretCheck => ({ ok: false, reason, message, ...(notAfter ? { notAfter } : {}) });

  const keyPem = decode(secret.data, 'tls.key');
  if (!keyPem || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem))
    return fail(Reasons.InvalidKey, `spec.secret: Secret ${id} has no PEM private key in tls.key`);
  let matches: boolean;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return fail(Reasons.InvalidKey, `spec.secret: tls.key of Secret ${id} is not a valid private key`);
  }
  if (!matches) return fail(Reasons.KeyMismatch, `spec.secret: tls.key of Secret ${id} does not match the certificate in tls.crt`);

  const now = Date.parse(nowIso);
  if (!Number.isFinite(now) || !notAfter || !Number.isFinite(notBeforeMs))
    return fail(Reasons.InvalidCertificate, `spec.secret: cannot check the validity period of Secret ${id}'s certificate`);
  if (now < notBeforeMs)
    return fail(Reasons.CertificateNotYetValid, `spec.secret: the certificate in Secret ${id} is not valid before ${new Date(notBeforeMs).toISOString()}`);
  if (now > notAfterMs) return fail(Reasons.CertificateExpired, `spec.secret: the certificate in Secret ${id} expired at ${notAfter}`);
  return { ok: true, certPem, keyPem, notAfter };
}

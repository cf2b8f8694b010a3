// Builders for the status conditions Portico writes (metav1.Condition shape, Gateway-API-style reasons).
// lastTransitionTime is left to reconcile: the compiler that calls these has no clock.
import type { Condition, ConditionType } from './types.js';

export const Reasons = {
  Accepted: 'Accepted',
  Invalid: 'Invalid',
  /** A Mapping sets a field whose behaviour this version does not implement yet (compile/unsupported-fields.ts). */
  UnsupportedField: 'UnsupportedField',
  ResolvedRefs: 'ResolvedRefs',
  BackendNotFound: 'BackendNotFound',
  InvalidPort: 'InvalidPort',
  RefNotPermitted: 'RefNotPermitted',
  SecretNotFound: 'SecretNotFound',
  InvalidSecretType: 'InvalidSecretType',
  InvalidCertificate: 'InvalidCertificate',
  InvalidKey: 'InvalidKey',
  KeyMismatch: 'KeyMismatch',
  CertificateExpired: 'CertificateExpired',
  CertificateNotYetValid: 'CertificateNotYetValid',
  InvalidCertificateChain: 'InvalidCertificateChain',
  WeakKey: 'WeakKey',
  UnsupportedKey: 'UnsupportedKey',
  TooLarge: 'TooLarge',
  Conflicted: 'Conflicted',
  /** A TLSContext host that its certificate's subjectAltName does not cover. */
  HostNotInCertificate: 'HostNotInCertificate',
  Programmed: 'Programmed',
  Pending: 'Pending',
} as const;

export function condition(
  type: ConditionType,
  status: Condition['status'],
  reason: string,
  message: string,
  observedGeneration?: number,
): Condition {
  const c: Condition = { type, status, reason, message };
  if (observedGeneration !== undefined) c.observedGeneration = observedGeneration;
  return c;
}

export const accepted = (gen?: number, message = 'Accepted'): Condition =>
  condition('Accepted', 'True', Reasons.Accepted, message, gen);

export const notAccepted = (reason: string, message: string, gen?: number): Condition =>
  condition('Accepted', 'False', reason, message, gen);

export const refsResolved = (gen?: number, message = 'All references resolved'): Condition =>
  condition('ResolvedRefs', 'True', Reasons.ResolvedRefs, message, gen);

export const refsNotResolved = (reason: string, message: string, gen?: number): Condition =>
  condition('ResolvedRefs', 'False', reason, message, gen);

/** In the generated config but not yet confirmed live: reconcile flips it to True/Programmed once published. */
export const programmedPending = (gen?: number): Condition =>
  condition('Programmed', 'False', Reasons.Pending, 'Waiting for the configuration to be published', gen);

export const programmed = (gen?: number, message = 'Programmed'): Condition =>
  condition('Programmed', 'True', Reasons.Programmed, message, gen);

/** Not in the config at all, for `reason`. */
export const notProgrammed = (reason: string, message: string, gen?: number): Condition =>
  condition('Programmed', 'False', reason, message, gen);

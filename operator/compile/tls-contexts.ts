// TLSContexts → HTTPS filter chains. Each context is checked on its own (schema, Secret, certificate); then,
// in namespace/name order, valid contexts claim their SNI names. A context that claims a name already claimed
// (or a second context without hosts, i.e. a second default certificate) is rejected with Conflicted: Envoy
// cannot serve two certificates for one name, and namespace/name order keeps the outcome independent of the
// informer's event order.
import {
  Reasons,
  accepted,
  condition,
  notAccepted,
  notProgrammed,
  programmedPending,
  refsNotResolved,
  refsResolved,
} from '../api/conditions.js';
import type { Secret, TLSContext } from '../api/types.js';
import { admitTLSContext } from '../api/validators.js';
import type { ObjectStatus } from './types.js';
import type { IRTlsContext } from './ir.js';
import { CATCH_ALL } from './hosts.js';
import { refNotPermittedMessage, type ReferenceGrantIndex } from './reference-grants.js';
import { checkTlsSecret, type SecretCheck } from './tls-secret.js';
import { nameOf, namespaceOf } from './source-objects.js';

export interface TlsResult {
  contexts: IRTlsContext[];
  files: Record<string, string>;
  statuses: ObjectStatus[];
  /** Host patterns whose cleartext requests are redirected to HTTPS (`*` = all). */
  redirectPatterns: string[];
}

/**
 * Every served certificate and key goes into one published Secret (portico-certs-<hash>), which Kubernetes caps
 * at 1 MiB of data. 768 KiB leaves room for the object's metadata and for safety; contexts past the budget (in
 * namespace/name order) are rejected with TooLarge instead of making the whole publication fail.
 */
export const CERTS_SECRET_BUDGET_BYTES = 768 * 1024;

/** `name[.namespace]`: the last dot splits off the namespace (as Emissary's secret_namespacing). */
export function parseSecretRef(value: string, defaultNamespace: string): { namespace: string; name: string } {
  const dot = value.lastIndexOf('.');
  return dot < 0 ? { namespace: defaultNamespace, name: value } : { namespace: value.slice(dot + 1), name: value.slice(0, dot) };
}

/**
 * Parsing hostile certificates goes through OpenSSL, which throws in places that are hard to foresee (fuzzing
 * found two). Whatever slips past checkTlsSecret's own checks rejects this TLSContext, never the compile.
 */
function checkTlsSecretSafely(secret: Secret | undefined, id: string, now: string): SecretCheck {
  try {
    return checkTlsSecret(secret, id, now);
  } catch {
    return { ok: false, reason: Reasons.InvalidCertificate, message: `spec.secret: Secret ${id} could not be checked (its certificate or key is malformed)` };
  }
}

/** `contexts` sorted by namespace/name; `secrets` indexed by namespace/name. */
export function compileTlsContexts(contexts: readonly TLSContext[], secrets: Map<string, Secret>, now: string, grants: ReferenceGrantIndex): TlsResult {
  const out: TlsResult = { contexts: [], files: {}, statuses: [], redirectPatterns: [] };
  const claimedBy = new Map<string, string>();
  let publishedBytes = 0;

  for (const raw of contexts) {
    const namespace = namespaceOf(raw);
    const name = nameOf(raw);
    const id = `${namespace}/${name}`;
    const g = raw.metadata?.generation;
    const gen = typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : undefined;
    const status = (conditions: ObjectStatus['conditions'], inConfig: boolean, notAfter?: string): void => {
      out.statuses.push({
        ref: { kind: 'TLSContext', namespace, name, ...(raw.metadata?.uid ? { uid: raw.metadata.uid } : {}), ...(gen !== undefined ? { generation: gen } : {}) },
        conditions,
        inConfig,
        ...(notAfter ? { extra: { notAfter } } : {}),
      });
    };

    const { errors, object } = admitTLSContext(raw);
    if (errors.length > 0) {
      const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      status([notAccepted(Reasons.Invalid, message, gen), condition('ResolvedRefs', 'Unknown', Reasons.Invalid, 'Not checked: the object is invalid', gen), notProgrammed(Reasons.Invalid, message, gen)], false);
      continue;
    }
    const spec = object.spec;
    const ref = parseSecretRef(spec.secret, namespace);
    const secretId = `${ref.namespace}/${ref.name}`;
    // Checked before the Secret is read: a denial says nothing about the Secret's existence or content.
    if (!grants.permits('TLSContext', namespace, 'Secret', ref.namespace, ref.name)) {
      const message = refNotPermittedMessage('spec.secret', 'TLSContext', namespace, 'Secret', ref.namespace, ref.name);
      status([accepted(gen), refsNotResolved(Reasons.RefNotPermitted, message, gen), notProgrammed(Reasons.RefNotPermitted, message, gen)], false);
      continue;
    }
    const check = checkTlsSecretSafely(secrets.get(secretId), secretId, now);
    if (!check.ok) {
      status([accepted(gen), refsNotResolved(check.reason, check.message, gen), notProgrammed(check.reason, check.message, gen)], false, check.notAfter);
      continue;
    }
    if (spec.maxTlsVersion && spec.minTlsVersion && spec.maxTlsVersion < spec.minTlsVersion) {
      const message = `spec.maxTlsVersion: Invalid value: ${spec.maxTlsVersion} is below minTlsVersion ${spec.minTlsVersion}`;
      status([notAccepted(Reasons.Invalid, message, gen), refsResolved(gen), notProgrammed(Reasons.Invalid, message, gen)], false, check.notAfter);
      continue;
    }

    const hosts = [...new Set(spec.hosts ?? [])].sort();
    const names = hosts.length > 0 ? hosts : [CATCH_ALL];
    const taken = names.filter((h) => claimedBy.has(h));
    if (taken.length > 0) {
      const what = taken[0] === CATCH_ALL ? 'the default certificate (no hosts)' : `host ${taken[0]}`;
      const message = `spec.hosts: ${what} is already served by TLSContext ${claimedBy.get(taken[0])}`;
      status([notAccepted(Reasons.Conflicted, message, gen), refsResolved(gen), notProgrammed(Reasons.Conflicted, message, gen)], false, check.notAfter);
      continue;
    }
    const base = `${ref.namespace}_${ref.name}`;
    const addedBytes = out.files[`${base}.crt`] === undefined ? Buffer.byteLength(check.certPem) + Buffer.byteLength(check.keyPem) : 0;
    if (publishedBytes + addedBytes > CERTS_SECRET_BUDGET_BYTES) {
      const message = `spec.secret: Secret ${secretId}: publishing it would take the certificates Secret past ${CERTS_SECRET_BUDGET_BYTES / 1024} KiB (Kubernetes caps a Secret at 1 MiB); the TLSContexts before it in namespace/name order are served`;
      status([accepted(gen), refsNotResolved(Reasons.TooLarge, message, gen), notProgrammed(Reasons.TooLarge, message, gen)], false, check.notAfter);
      continue;
    }
    publishedBytes += addedBytes;
    for (const h of names) claimedBy.set(h, id);

    out.files[`${base}.crt`] = check.certPem;
    out.files[`${base}.key`] = check.keyPem;
    out.contexts.push({
      name: id,
      serverNames: hosts,
      certFile: `${base}.crt`,
      keyFile: `${base}.key`,
      minTlsVersion: spec.minTlsVersion ?? 'v1.2',
      ...(spec.maxTlsVersion ? { maxTlsVersion: spec.maxTlsVersion } : {}),
      alpnProtocols: spec.alpnProtocols ?? [],
    });
    if (spec.redirectCleartext) out.redirectPatterns.push(...names);
    status([accepted(gen), refsResolved(gen, `Secret ${secretId}: certificate valid until ${check.notAfter}`), programmedPending(gen)], true, check.notAfter);
  }
  out.redirectPatterns = [...new Set(out.redirectPatterns)].sort();
  return out;
}

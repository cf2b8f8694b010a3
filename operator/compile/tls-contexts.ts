// TLSContexts → HTTPS filter chains, in two steps. First each context is checked on its own (schema, Secret,
// certificate): checkTlsContexts. Then, oldest first (creationTimestamp, then namespace/name, as Gateway API
// resolves conflicts), each context is given the hosts it may serve (tls-hosts.ts): assignTlsContexts. A
// context keeps every host that is not refused; only when none is left is it rejected. Age order, not name
// order, so a new TLSContext can never take a host from an older one. Size is no concern here: one Secret's
// certificate and key are bounded (MAX_TLS_SECRET_BYTES), and publish/ spreads the files over as many published
// Secrets as they need (publish/cert-sets.ts).
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
import type { Condition, Secret, TLSContext, TLSContextSpec } from '../api/types.js';
import { admitTLSContext, type FieldError } from '../api/validators.js';
import { namespaceOf } from '../api/namespaces.js';
import { parseSecretRef } from '../api/secret-ref.js';
import type { HostClaim, HostOwnership } from './host-ownership.js';
import { CATCH_ALL } from './hosts.js';
import type { IRDownstreamTls } from './ir.js';
import { compareAge, creationTimeOf, type Aged } from './object-age.js';
import type { HostOwnership as OwnershipMode } from './options.js';
import { refNotPermittedMessage, type ReferenceGrantIndex } from './reference-grants.js';
import type { RedirectClaim } from './routes.js';
import { nameOf } from './source-objects.js';
import { assignTlsHosts, describeDecisions, type HostDecision, type TlsHolder } from './tls-hosts.js';
import { checkTlsSecret, type SecretCheck } from './tls-secret.js';
import { alpnProblem } from './alpn.js';
import type { ObjectStatus, StatusWarning } from './types.js';

/** A TLSContext that terminates TLS: its filter chain's names and settings (filter-chains.ts). */
export interface ServedTlsContext {
  /** `<namespace>/<name>`. */
  name: string;
  /** SNI names; empty: the default chain. */
  serverNames: string[];
  tls: IRDownstreamTls;
}

export interface TlsResult {
  contexts: ServedTlsContext[];
  files: Record<string, string>;
  statuses: ObjectStatus[];
  /** Served hosts whose cleartext requests are redirected to HTTPS (`*` = all), with the namespace asking. */
  redirects: RedirectClaim[];
}

/**
 * Parsing hostile certificates goes through OpenSSL, which throws in places that are hard to foresee (fuzzing
 * found two). Whatever slips past checkTlsSecret's own checks rejects this TLSContext, never the compile.
 */
function checkTlsSecretSafely(secret: Secret | undefined, id: string, now: string): SecretCheck {
  try {
    return checkTlsSecret(secret, id, now);
  } catch {
    return {
      ok: false,
      reason: Reasons.InvalidCertificate,
      message: `spec.secret: Secret ${id} could not be checked (its certificate or key is malformed)`,
    };
  }
}

export interface CheckedTlsContext extends Aged {
  uid?: string;
  generation?: number;
  /** The hosts it names that pass the schema, valid object or not (host ownership counts them). */
  namedHosts: string[];
  /** Set when the context is rejected on its own: its final conditions. */
  rejected?: { conditions: Condition[]; notAfter?: string };
  /** Set when it passed every check of its own. */
  ready?: {
    spec: TLSContextSpec;
    secret: { namespace: string; name: string };
    certPem: string;
    keyPem: string;
    notAfter: string;
    dnsNames: string[];
  };
}

const concerns = (errors: readonly FieldError[], field: string): boolean =>
  errors.some((e) => e.field === field || e.field === '');

function namedHostsOf(raw: TLSContext, errors: readonly FieldError[]): string[] {
  const hosts = (raw as { spec?: { hosts?: unknown } }).spec?.hosts;
  if (!Array.isArray(hosts) || concerns(errors, 'spec') || concerns(errors, 'spec.hosts')) return [];
  return [
    ...new Set(
      hosts.filter((h, i): h is string => typeof h === 'string' && h !== '' && !concerns(errors, `spec.hosts[${i}]`)),
    ),
  ];
}

function checkOne(
  raw: TLSContext,
  secrets: Map<string, Secret>,
  now: string,
  grants: ReferenceGrantIndex,
): CheckedTlsContext {
  const namespace = namespaceOf(raw);
  const g = raw.metadata?.generation;
  const gen = typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : undefined;
  const uid = typeof raw.metadata?.uid === 'string' && raw.metadata.uid !== '' ? raw.metadata.uid : undefined;
  const { errors, object } = admitTLSContext(raw);
  const base: CheckedTlsContext = {
    namespace,
    name: nameOf(raw),
    createdAtMs: creationTimeOf(raw),
    uid,
    generation: gen,
    namedHosts: namedHostsOf(raw, errors),
  };
  const reject = (conditions: Condition[], notAfter?: string): CheckedTlsContext => ({
    ...base,
    rejected: { conditions, ...(notAfter ? { notAfter } : {}) },
  });

  if (errors.length > 0) {
    const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return reject([
      notAccepted(Reasons.Invalid, message, gen),
      condition('ResolvedRefs', 'Unknown', Reasons.Invalid, 'Not checked: the object is invalid', gen),
      notProgrammed(Reasons.Invalid, message, gen),
    ]);
  }
  const spec = object.spec;
  const alpn = alpnProblem(spec.alpnProtocols);
  if (alpn)
    return reject([
      notAccepted(Reasons.Invalid, alpn, gen),
      condition('ResolvedRefs', 'Unknown', Reasons.Invalid, 'Not checked: the object is invalid', gen),
      notProgrammed(Reasons.Invalid, alpn, gen),
    ]);
  const ref = parseSecretRef(spec.secret, namespace);
  const secretId = `${ref.namespace}/${ref.name}`;
  // Checked before the Secret is read: a denial says nothing about the Secret's existence or content.
  if (!grants.permits('TLSContext', namespace, 'Secret', ref.namespace, ref.name)) {
    const message = refNotPermittedMessage('spec.secret', 'TLSContext', namespace, 'Secret', ref.namespace, ref.name);
    return reject([
      accepted(gen),
      refsNotResolved(Reasons.RefNotPermitted, message, gen),
      notProgrammed(Reasons.RefNotPermitted, message, gen),
    ]);
  }
  const check = checkTlsSecretSafely(secrets.get(secretId), secretId, now);
  if (!check.ok)
    return reject(
      [
        accepted(gen),
        refsNotResolved(check.reason, check.message, gen),
        notProgrammed(check.reason, check.message, gen),
      ],
      check.notAfter,
    );
  if (spec.maxTlsVersion && spec.minTlsVersion && spec.maxTlsVersion < spec.minTlsVersion) {
    const message = `spec.maxTlsVersion: Invalid value: ${spec.maxTlsVersion} is below minTlsVersion ${spec.minTlsVersion}`;
    return reject(
      [notAccepted(Reasons.Invalid, message, gen), refsResolved(gen), notProgrammed(Reasons.Invalid, message, gen)],
      check.notAfter,
    );
  }
  return {
    ...base,
    ready: {
      spec,
      secret: ref,
      certPem: check.certPem,
      keyPem: check.keyPem,
      notAfter: check.notAfter,
      dnsNames: check.dnsNames,
    },
  };
}

/** Step 1: every context on its own, in any order. */
export function checkTlsContexts(
  contexts: readonly TLSContext[],
  secrets: Map<string, Secret>,
  now: string,
  grants: ReferenceGrantIndex,
): CheckedTlsContext[] {
  return contexts.map((raw) => checkOne(raw, secrets, now, grants));
}

export function tlsHostClaims(checked: readonly CheckedTlsContext[]): HostClaim[] {
  return checked.flatMap((c) =>
    c.namedHosts.map((host): HostClaim => ({
      host,
      kind: 'TLSContext',
      namespace: c.namespace,
      name: c.name,
      createdAtMs: c.createdAtMs,
    })),
  );
}

/** `a.test, b.test` (capped), for messages that name many hosts at once. */
function hostList(hosts: readonly string[]): string {
  return hosts.slice(0, 8).join(', ') + (hosts.length > 8 ? `, and ${hosts.length - 8} more` : '');
}

/** The Accepted condition and Event data for a context that keeps some hosts, or the rejection when none is left. */
function hostOutcome(
  refused: readonly HostDecision[],
  warnings: readonly HostDecision[],
  served: readonly string[],
  secret: { id: string; dnsNames: readonly string[] },
  mode: OwnershipMode,
  gen?: number,
) {
  const allUncovered = (list: readonly HostDecision[]) =>
    list.length > 0 && list.every((d) => d.reason === Reasons.HostNotInCertificate);
  const certificate = `the certificate in Secret ${secret.id} (DNS names: ${secret.dnsNames.length > 0 ? hostList(secret.dnsNames) : 'none'})`;
  if (served.length === 0) {
    let message: string;
    if (refused[0].host === CATCH_ALL) message = `spec.hosts: ${refused[0].message}`;
    else if (allUncovered(refused))
      message = `spec.hosts: ${certificate} covers none of ${hostList(refused.map((d) => d.host))}, so every host is refused and this TLSContext serves nothing`;
    else message = `spec.hosts: no host is left to serve: ${describeDecisions(refused)}`;
    return { rejected: { reason: refused[0].reason, message } };
  }
  const notes: string[] = [];
  if (refused.length > 0)
    notes.push(`refused ${refused.length} of ${refused.length + served.length} hosts: ${describeDecisions(refused)}`);
  if (warnings.length > 0 && warnings.length === served.length)
    notes.push(
      `${certificate} covers none of the hosts it serves, so clients will reject it for every one; they are served anyway because the operator runs with --host-ownership=${mode}`,
    );
  else if (warnings.length > 0) notes.push(`warning: ${describeDecisions(warnings)}`);
  const shown = served[0] === CATCH_ALL ? 'the default certificate' : hostList(served);
  const message = notes.length === 0 ? 'Accepted' : `Serving ${shown}; ${notes.join('; ')}`;
  const eventWarnings: StatusWarning[] = [...refused, ...warnings].map((d) => ({
    reason: d.reason,
    message: `${d.field}: ${d.message}`,
  }));
  return { accepted: accepted(gen, message), warnings: eventWarnings };
}

/** Step 2: oldest first, each context gets the hosts it may serve; `checked` in any order. */
export function assignTlsContexts(
  checked: readonly CheckedTlsContext[],
  ownership: HostOwnership,
  mode: OwnershipMode,
): TlsResult {
  const out: TlsResult = { contexts: [], files: {}, statuses: [], redirects: [] };
  const holders = new Map<string, TlsHolder>();

  for (const c of [...checked].sort(compareAge)) {
    const gen = c.generation;
    const ref = {
      kind: 'TLSContext' as const,
      namespace: c.namespace,
      name: c.name,
      ...(c.uid ? { uid: c.uid } : {}),
      ...(gen !== undefined ? { generation: gen } : {}),
    };
    const status = (
      conditions: Condition[],
      inConfig: boolean,
      notAfter?: string,
      warnings?: StatusWarning[],
    ): void => {
      out.statuses.push({
        ref,
        conditions,
        inConfig,
        ...(notAfter ? { extra: { notAfter } } : {}),
        ...(warnings?.length ? { warnings } : {}),
      });
    };
    if (!c.ready) {
      status(c.rejected!.conditions, false, c.rejected!.notAfter);
      continue;
    }
    const { spec, secret, notAfter } = c.ready;
    const secretId = `${secret.namespace}/${secret.name}`;
    const hosts = [...new Set(spec.hosts ?? [])];
    const assignment = assignTlsHosts(
      { namespace: c.namespace, hosts, secretId, dnsNames: c.ready.dnsNames },
      ownership,
      holders,
    );
    const outcome = hostOutcome(
      assignment.refused,
      assignment.warnings,
      assignment.served,
      { id: secretId, dnsNames: c.ready.dnsNames },
      mode,
      gen,
    );
    if (outcome.rejected) {
      const { reason, message } = outcome.rejected;
      status(
        [
          notAccepted(reason, message, gen),
          refsResolved(gen, `Secret ${secretId}: certificate valid until ${notAfter}`),
          notProgrammed(reason, message, gen),
        ],
        false,
        notAfter,
      );
      continue;
    }
    const base = `${secret.namespace}_${secret.name}`;
    const holder: TlsHolder = {
      id: `${c.namespace}/${c.name}`,
      namespace: c.namespace,
      name: c.name,
      createdAtMs: c.createdAtMs,
    };
    for (const h of assignment.served) holders.set(h, holder);

    out.files[`${base}.crt`] = c.ready.certPem;
    out.files[`${base}.key`] = c.ready.keyPem;
    const serverNames = assignment.served.filter((h) => h !== CATCH_ALL).sort();
    out.contexts.push({
      name: holder.id,
      serverNames,
      tls: {
        certFile: `${base}.crt`,
        keyFile: `${base}.key`,
        minTlsVersion: spec.minTlsVersion ?? 'v1.2',
        ...(spec.maxTlsVersion ? { maxTlsVersion: spec.maxTlsVersion } : {}),
        alpnProtocols: spec.alpnProtocols ?? [],
      },
    });
    if (spec.redirectCleartext)
      out.redirects.push(...assignment.served.map((pattern) => ({ pattern, namespace: c.namespace })));
    status(
      [
        outcome.accepted!,
        refsResolved(gen, `Secret ${secretId}: certificate valid until ${notAfter}`),
        programmedPending(gen),
      ],
      true,
      notAfter,
      outcome.warnings,
    );
  }
  // IR order is namespace/name (the filter chains' order), whatever order the hosts were assigned in.
  out.contexts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.redirects.sort(
    (a, b) =>
      (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0) ||
      (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0),
  );
  return out;
}

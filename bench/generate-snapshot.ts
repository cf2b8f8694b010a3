// A seeded, realistic cluster for the benchmarks: N Mappings over 200 hosts, one Service per 5 Mappings, TLS
// contexts with real (test) certificates, canary conflicts and a sprinkling of invalid objects. The same
// (n, seed) always gives the same objects, so runs and machines are comparable; Mapping i is the same whatever
// N is (the generator draws a fixed number of random numbers per Mapping).
//
// Mix per Mapping: 10 % without host (every host), 2 % share host+prefix with an earlier Mapping (a canary
// group), 1 % reference a Service that does not exist (503 route), 1 % have an invalid prefix (schema), 0.5 %
// an invalid service string, 0.5 % a "//" prefix; 10 % cross-namespace service refs, 3 % https upstreams.
// TLS: one valid TLSContext per test certificate (8), plus three broken ones (missing Secret, wrong Secret type,
// key that does not match).
import type { Mapping, PorticoReferenceGrant, Secret, Service, TLSContext } from '../operator/api/types.js';
import type { Snapshot } from '../operator/compile/types.js';
import { CERT_COUNT, certsGeneratedAt, testCerts } from './support/test-certs.js';

export const HOST_COUNT = 200;
export const NAMESPACE_COUNT = 20;
export const MAPPINGS_PER_SERVICE = 5;
export const DEFAULT_SEED = 20261126;

export interface GeneratedCluster {
  mappings: Mapping[];
  tlsContexts: TLSContext[];
  services: Service[];
  secrets: Secret[];
  /** Grants that let every team namespace use the Services of every other (the cross-namespace refs need them). */
  referenceGrants: PorticoReferenceGrant[];
  /** What the generator meant each Mapping to be (for reports and sanity checks). */
  mix: Record<string, number>;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const namespaceOf = (i: number) => `team-${i % NAMESPACE_COUNT}`;

/** 200 hosts: 150 plain, 40 under the TLS domains, 10 wildcards. */
export function benchHosts(): string[] {
  const hosts: string[] = [];
  for (let k = 0; k < 150; k++) hosts.push(`svc${k}.bench.example`);
  for (let k = 0; k < 40; k++) hosts.push(`app${k}.tls${k % CERT_COUNT}.bench.example`);
  for (let k = 0; k < 10; k++) hosts.push(`*.w${k}.bench.example`);
  return hosts;
}

export function generateService(s: number): Service {
  const twoPorts = s % 4 === 0;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${s}`, namespace: namespaceOf(s), labels: { app: `svc-${s}` } },
    spec: {
      type: 'ClusterIP',
      ports: twoPorts
        ? [
            { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
            { name: 'admin', port: 9090, targetPort: 9090, protocol: 'TCP' },
          ]
        : [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

const RESOURCES = ['users', 'orders', 'billing', 'search', 'catalog', 'cart', 'auth', 'media', 'reports', 'events'];

export interface GenerateOptions {
  seed?: number;
  /** Share of Mappings without spec.host (default 0.1). Each is routed on every virtual host. */
  hostlessFraction?: number;
  /** Include the TLSContexts and their Secrets (default true). */
  tls?: boolean;
}

export function generateCluster(n: number, opts: GenerateOptions = {}): GeneratedCluster {
  const seed = opts.seed ?? DEFAULT_SEED;
  const hostless = opts.hostlessFraction ?? 0.1;
  const rand = seededRandom(seed);
  const hosts = benchHosts();
  const serviceCount = Math.ceil(n / MAPPINGS_PER_SERVICE);
  const services = Array.from({ length: serviceCount }, (_, s) => generateService(s));
  const mix: Record<string, number> = {
    plain: 0,
    noHost: 0,
    canary: 0,
    missingService: 0,
    invalidPrefix: 0,
    invalidService: 0,
    doubleSlash: 0,
  };
  const mappings: Mapping[] = [];

  for (let i = 0; i < n; i++) {
    // Fixed number of draws per Mapping, whatever branch is taken.
    const [rKind, rHost, rHostPick, rRewrite, rCross, rScheme, rPick, rVersion] = Array.from({ length: 8 }, rand);
    const s = Math.floor(i / MAPPINGS_PER_SERVICE);
    const ns = namespaceOf(s);
    const svc = services[s];
    const cross = rCross < 0.1;
    const mappingNs = cross ? namespaceOf(s + 1 + Math.floor(rPick * (NAMESPACE_COUNT - 1))) : ns;
    const twoPorts = (svc.spec!.ports!.length ?? 1) > 1;
    let service = `${rScheme < 0.03 ? 'https://' : ''}${svc.metadata.name}${cross ? `.${ns}` : ''}${twoPorts ? (rPick < 0.5 ? ':http' : ':8080') : ''}`;
    let prefix = `/api/v${1 + Math.floor(rVersion * 3)}/${RESOURCES[i % RESOURCES.length]}-${i}/`;
    let host: string | undefined = rHost < hostless ? undefined : hosts[Math.floor(rHostPick * HOST_COUNT)];
    const rewrite = rRewrite < 0.6 ? undefined : rRewrite < 0.8 ? '' : '/v2/';

    if (rKind < 0.02 && mappings.length > 0) {
      const peer = mappings[Math.floor(rPick * mappings.length)];
      prefix = peer.spec.prefix;
      host = peer.spec.host;
      mix.canary++;
    } else if (rKind < 0.03) {
      service = `svc-missing-${i}`;
      mix.missingService++;
    } else if (rKind < 0.04) {
      prefix = `api/no-leading-slash-${i}`;
      mix.invalidPrefix++;
    } else if (rKind < 0.045) {
      service = `Bad_Service_${i}`;
      mix.invalidService++;
    } else if (rKind < 0.05) {
      prefix = `/api//double-${i}/`;
      mix.doubleSlash++;
    } else if (host === undefined) {
      mix.noHost++;
    } else {
      mix.plain++;
    }
    mappings.push({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: `route-${i}`, namespace: mappingNs },
      spec: { prefix, service, ...(rewrite !== undefined ? { rewrite } : {}), ...(host ? { host } : {}) },
    });
  }

  const { tlsContexts, secrets } = opts.tls === false ? { tlsContexts: [], secrets: [] } : generateTls();
  return { mappings, tlsContexts, services, secrets, referenceGrants: referenceGrants(), mix };
}

/** Per team namespace: its Services and hosts may be used by Mappings of all other team namespaces (from ≤ 16 per
 * grant), its hosts by the TLSContexts in `tls`. */
function referenceGrants(): PorticoReferenceGrant[] {
  const grants: PorticoReferenceGrant[] = [];
  for (let t = 0; t < NAMESPACE_COUNT; t++) {
    const others = Array.from({ length: NAMESPACE_COUNT }, (_, k) => k).filter((k) => k !== t);
    for (let g = 0; g * 16 < others.length; g++) {
      grants.push({
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'PorticoReferenceGrant',
        metadata: { name: `team-services-${g}`, namespace: namespaceOf(t) },
        // Hosts too: the mix spreads each host over many namespaces (one team platform), so under host ownership
        // the owner lets the others serve it.
        spec: {
          from: others.slice(g * 16, g * 16 + 16).map((k) => ({ kind: 'Mapping' as const, namespace: namespaceOf(k) })),
          to: [{ kind: 'Service' as const }, { kind: 'Host' as const }],
        },
      });
    }
    grants.push({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'PorticoReferenceGrant',
      metadata: { name: 'tls-hosts', namespace: namespaceOf(t) },
      spec: { from: [{ kind: 'TLSContext' as const, namespace: 'tls' }], to: [{ kind: 'Host' as const }] },
    });
  }
  return grants;
}

function tlsSecret(name: string, certPem: string, keyPem: string, type = 'kubernetes.io/tls'): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'tls', labels: { 'portico.dev/test-only': 'true' } },
    type,
    data: { 'tls.crt': Buffer.from(certPem).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') },
  };
}

function tlsContext(name: string, hosts: string[], secret: string, redirectCleartext: boolean): TLSContext {
  return {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'TLSContext',
    metadata: { name, namespace: 'tls' },
    spec: { hosts, secret, redirectCleartext, minTlsVersion: 'v1.2', alpnProtocols: ['h2', 'http/1.1'] },
  };
}

function generateTls(): { tlsContexts: TLSContext[]; secrets: Secret[] } {
  const certs = testCerts();
  const tlsContexts: TLSContext[] = [];
  const secrets: Secret[] = [];
  certs.forEach((c, j) => {
    secrets.push(tlsSecret(`tls${j}-cert`, c.certPem, c.keyPem));
    tlsContexts.push(tlsContext(`tls${j}`, [c.domain, `*.${c.domain}`], `tls${j}-cert`, j % 2 === 0));
  });
  // Broken ones: each is rejected with its own condition and must not disturb the rest.
  tlsContexts.push(tlsContext('broken-missing-secret', ['missing.bench.example'], 'no-such-secret', false));
  secrets.push(tlsSecret('opaque-cert', certs[0].certPem, certs[0].keyPem, 'Opaque'));
  tlsContexts.push(tlsContext('broken-wrong-type', ['opaque.bench.example'], 'opaque-cert', false));
  secrets.push(tlsSecret('mismatched-cert', certs[0].certPem, certs[1].keyPem));
  tlsContexts.push(tlsContext('broken-key-mismatch', ['mismatch.bench.example'], 'mismatched-cert', false));
  return { tlsContexts, secrets };
}

/**
 * The cluster as the operator's informers would deliver it: uid, generation, resourceVersion and
 * creationTimestamp set. `now` is one day after the test certificates were made, so they are valid.
 */
export function generateSnapshot(n: number, opts: GenerateOptions = {}): Snapshot & { mix: Record<string, number> } {
  const c = generateCluster(n, opts);
  const created = certsGeneratedAt();
  let rv = 1000;
  const meta = <T extends { metadata: object }>(o: T, i: number, generation?: number): T => ({
    ...o,
    metadata: {
      ...o.metadata,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(rv++),
      creationTimestamp: created.replace(/\.\d+Z$/, 'Z'),
      ...(generation !== undefined ? { generation } : {}),
    },
  });
  let uid = 0;
  return {
    mappings: c.mappings.map((m) => meta(m, uid++, 1)),
    tlsContexts: c.tlsContexts.map((t) => meta(t, uid++, 1)),
    services: c.services.map((s) => meta(s, uid++)),
    secrets: c.secrets.map((s) => meta(s, uid++)),
    referenceGrants: c.referenceGrants.map((g) => meta(g, uid++, 1)),
    now: new Date(Date.parse(created) + 86_400_000).toISOString(),
    mix: c.mix,
  };
}

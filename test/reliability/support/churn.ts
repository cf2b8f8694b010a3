// The seeded churn script: random creates, updates and deletes of Mappings, TLSContexts, Services and TLS
// Secrets in two namespaces, sent straight to the API server (server-side apply as the "churn" manager, or
// DELETE). Names come from small pools so objects are recreated, Mappings collide on prefixes, point at
// Services that come and go (svc-4 never exists), and TLSContexts reference Secrets that are missing
// (cert-3 never exists), valid, or hold a key that does not match the certificate.
// Operations that fail (injected faults, refused connections) are counted and otherwise ignored: the
// expected result is always computed from what the API server holds at the end.
import { PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { makeTimedObjectApi } from '../../../operator/kube/api-clients.js';
import type { Random } from './seeded-random.js';
import type { TestCert } from './test-certs.js';

export const CHURN_NAMESPACES = ['default', 'team-a'];
type Kind = 'Mapping' | 'TLSContext' | 'Service' | 'Secret';

export interface ChurnCounts {
  ops: number;
  applied: number;
  deleted: number;
  /** Answered with an error (e.g. an injected 500). */
  failed: number;
  /** Not answered at all (connection refused or reset): the API server was away. */
  unreachable: number;
  byKind: Record<Kind, number>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export class Churn {
  readonly counts: ChurnCounts = {
    ops: 0,
    applied: 0,
    deleted: 0,
    failed: 0,
    unreachable: 0,
    byKind: { Mapping: 0, TLSContext: 0, Service: 0, Secret: 0 },
  };
  private readonly api;
  private readonly exists = new Set<string>();

  constructor(
    kc: KubeConfig,
    private readonly rng: Random,
    private readonly certs: TestCert[],
  ) {
    this.api = makeTimedObjectApi(kc, 5000);
  }

  private object(kind: Kind, namespace: string, name: string): KubernetesObject {
    const r = this.rng;
    const metadata = { name, namespace };
    switch (kind) {
      case 'Service':
        return {
          apiVersion: 'v1',
          kind,
          metadata,
          spec: { selector: { app: name }, ports: [{ name: 'http', port: r.pick([80, 8080]), targetPort: 8080 }] },
        } as KubernetesObject;
      case 'Secret': {
        const c = r.pick(this.certs);
        const key = r.chance(0.8) ? c : r.pick(this.certs); // sometimes a key that does not match
        return {
          apiVersion: 'v1',
          kind,
          metadata,
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64(c.certPem), 'tls.key': b64(key.keyPem) },
        } as KubernetesObject;
      }
      case 'TLSContext':
        return {
          apiVersion: 'portico.dev/v1alpha1',
          kind,
          metadata,
          spec: {
            hosts: [r.pick(this.certs).host],
            secret: `cert-${r.int(4)}`,
            ...(r.chance(0.3) ? { redirectCleartext: true } : {}),
          },
        } as KubernetesObject;
      case 'Mapping': {
        const spec: Record<string, unknown> = {
          prefix: `/p${r.int(6)}/`,
          service: `svc-${r.int(5)}${r.chance(0.3) ? ':80' : ''}`,
        };
        if (r.chance(0.3)) spec.host = r.pick(this.certs).host;
        if (r.chance(0.3)) spec.rewrite = r.pick(['', '/v2/', '/']);
        return { apiVersion: 'portico.dev/v1alpha1', kind, metadata, spec } as KubernetesObject;
      }
    }
  }

  /** One random operation. Never throws. */
  async step(): Promise<void> {
    const r = this.rng;
    const kind: Kind = r.pick([
      'Mapping',
      'Mapping',
      'Mapping',
      'Service',
      'Service',
      'Secret',
      'TLSContext',
      'TLSContext',
    ]);
    const pool = { Mapping: 10, Service: 4, Secret: 3, TLSContext: 2 }[kind];
    const prefix = { Mapping: 'm', Service: 'svc', Secret: 'cert', TLSContext: 'tls' }[kind];
    const namespace = r.pick(CHURN_NAMESPACES);
    const name = `${prefix}-${r.int(pool)}`;
    const key = `${kind}/${namespace}/${name}`;
    const remove = this.exists.has(key) && r.chance(0.3);
    const obj = this.object(kind, namespace, name);
    this.counts.ops++;
    this.counts.byKind[kind]++;
    try {
      if (remove) {
        await this.api.delete(obj).catch((err: { code?: number }) => {
          if (err?.code !== 404) throw err;
        });
        this.exists.delete(key);
        this.counts.deleted++;
      } else {
        await this.api.patch(obj, undefined, undefined, 'churn', true, PatchStrategy.ServerSideApply);
        this.exists.add(key);
        this.counts.applied++;
      }
    } catch (err) {
      if (typeof (err as { code?: unknown })?.code === 'number') {
        this.counts.failed++;
      } else {
        // No HTTP answer at all (refused, reset): the server is away; wait a little before the next try.
        this.counts.unreachable++;
        await new Promise((res) => setTimeout(res, 250));
      }
    }
  }

  /** Random operations, one at a time, `gapMs` apart on average, for `ms`. */
  async runFor(ms: number, gapMs: number): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await this.step();
      await new Promise((res) => setTimeout(res, this.rng.between(0.2 * gapMs, 1.8 * gapMs)));
    }
  }
}

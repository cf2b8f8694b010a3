// Mutual TLS on the xDS channel, kept in the cluster: a CA in the Secret `portico-xds-ca` (created by the first
// leader, read by every replica), each replica's own serving certificate (issued in memory from that CA, for the
// operator Service's DNS names) and the Envoy pods' client certificate in the Secret `portico-xds-client`
// (tls.crt, tls.key, ca.crt; the pods mount it, and Envoy re-reads it when the kubelet swaps the files). Serving
// and client certificates are renewed once a third of their lifetime is left; the gRPC server takes a new serving
// certificate for new connections without rebinding (a grpc-js CertificateProvider). The CA itself lives ten
// years and is not rotated (docs/security.md says how to replace it).
import type { experimental } from '@grpc/grpc-js';
import type { V1Secret } from '@kubernetes/client-node';
import type { ClusterWriter } from '../kube/cluster-writer.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { Logger } from '../log/logger.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../publish/names.js';
import {
  createCertificateAuthority,
  issueCertificate,
  renewalDue,
  type CertificateAuthority,
  type IssuedCertificate,
} from './x509.js';
import type { TlsMaterial } from './credentials.js';

export const XDS_CA_SECRET = 'portico-xds-ca';
export const XDS_CLIENT_SECRET = 'portico-xds-client';
const PKI_LABEL = 'portico.dev/xds-pki';
const DAY = 86_400_000;

export interface ChannelLifetimes {
  caMs: number;
  /** Serving and client certificates. */
  leafMs: number;
  /** How often renewal is checked. */
  checkMs: number;
}
export const DEFAULT_LIFETIMES: ChannelLifetimes = { caMs: 3650 * DAY, leafMs: 30 * DAY, checkMs: 60_000 };

/** The DNS names Envoy reaches the operator's xDS port by (the operator Service). */
export const xdsServerNames = (namespace: string, service = 'portico-operator'): string[] => [
  `${service}.${namespace}.svc`,
  `${service}.${namespace}.svc.cluster.local`,
];

type IdentityListener = (u: { certificate: Buffer; privateKey: Buffer } | null) => void;
type CaListener = (u: { caCertificate: Buffer } | null) => void;

/** A grpc-js certificate provider whose certificates we set (grpc-js applies them to new handshakes). */
class PushedCertificates implements experimental.CertificateProvider {
  private identity: { certificate: Buffer; privateKey: Buffer } | null = null;
  private ca: { caCertificate: Buffer } | null = null;
  private readonly identityListeners = new Set<IdentityListener>();
  private readonly caListeners = new Set<CaListener>();

  set(m: TlsMaterial): void {
    this.identity = { certificate: Buffer.from(m.certPem), privateKey: Buffer.from(m.keyPem) };
    this.ca = { caCertificate: Buffer.from(m.caPem) };
    for (const l of this.identityListeners) l(this.identity);
    for (const l of this.caListeners) l(this.ca);
  }
  addCaCertificateListener(l: CaListener): void {
    this.caListeners.add(l);
    if (this.ca) l(this.ca);
  }
  removeCaCertificateListener(l: CaListener): void {
    this.caListeners.delete(l);
  }
  addIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.add(l);
    if (this.identity) l(this.identity);
  }
  removeIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.delete(l);
  }
}

export interface ChannelPkiOptions {
  writer: ClusterWriter;
  namespace: string;
  serverNames: string[];
  isLeader: () => boolean;
  log: Logger;
  lifetimes?: Partial<ChannelLifetimes>;
  now?: () => Date;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

export class ChannelPki {
  readonly certificates = new PushedCertificates();
  private ca: CertificateAuthority | undefined;
  private serving: IssuedCertificate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly lifetimes: ChannelLifetimes;
  private readonly now: () => Date;
  private running: Promise<void> | undefined;
  /** Issued serving certificates, for tests and diagnostics. */
  issued = 0;

  constructor(private readonly o: ChannelPkiOptions) {
    this.lifetimes = { ...DEFAULT_LIFETIMES, ...o.lifetimes };
    this.now = o.now ?? (() => new Date());
  }

  start(): void {
    const tick = () => {
      this.running ??= this.check()
        .catch((err) => {
          this.o.log.warn('xDS channel certificates: check failed; retrying', { error: apiErrorMessage(err) });
        })
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.lifetimes.checkMs);
    this.timer.unref();
  }

  /** Run a check now (after winning leadership, so the client Secret is written without waiting). */
  poke(): Promise<void> {
    return (this.running ??= this.check().finally(() => (this.running = undefined)));
  }

  private async check(): Promise<void> {
    const secrets = await this.o.writer.listSecrets(this.o.namespace, `${MANAGED_BY_LABEL}=${MANAGED_BY},${PKI_LABEL}`);
    const byName = new Map(secrets.map((s) => [s.metadata?.name, s]));
    const now = this.now();
    this.ca = this.readCa(byName.get(XDS_CA_SECRET)) ?? (this.o.isLeader() ? await this.createCa(now) : undefined);
    if (!this.ca) return; // a follower waits for the leader's CA
    if (!this.serving || renewalDue(this.serving.certPem, now)) {
      this.serving = issueCertificate(this.ca, {
        commonName: 'portico-operator',
        dnsNames: this.o.serverNames,
        usage: 'server',
        notBefore: this.backdated(now),
        notAfter: new Date(now.getTime() + this.lifetimes.leafMs),
      });
      this.issued++;
      this.certificates.set({ caPem: this.ca.certPem, certPem: this.serving.certPem, keyPem: this.serving.keyPem });
      this.o.log.info('xDS channel: serving certificate issued', {
        notAfter: this.serving.notAfter.toISOString(),
        names: this.o.serverNames,
      });
    }
    if (!this.o.isLeader()) return;
    const client = byName.get(XDS_CLIENT_SECRET);
    const clientPem = unb64(client?.data?.['tls.crt']);
    if (!clientPem || unb64(client?.data?.['ca.crt']) !== this.ca.certPem || renewalDue(clientPem, now)) {
      const c = issueCertificate(this.ca, {
        commonName: 'portico-envoy',
        usage: 'client',
        notBefore: this.backdated(now),
        notAfter: new Date(now.getTime() + this.lifetimes.leafMs),
      });
      await this.o.writer.apply(
        this.secret(XDS_CLIENT_SECRET, 'kubernetes.io/tls', {
          'tls.crt': c.certPem,
          'tls.key': c.keyPem,
          'ca.crt': this.ca.certPem,
        }),
      );
      this.o.log.info('xDS channel: Envoy client certificate issued', {
        secret: { kind: 'Secret', namespace: this.o.namespace, name: XDS_CLIENT_SECRET },
        notAfter: c.notAfter.toISOString(),
      });
    }
  }

  /** A little before now, for clocks slightly behind ours; small beside the lifetime, which renewal divides. */
  private backdated(now: Date): Date {
    return new Date(now.getTime() - Math.min(60_000, this.lifetimes.leafMs / 10));
  }

  /** The CA last read, so a replaced CA (someone deleted the Secret) means a new serving certificate. */
  private lastCaPem: string | undefined;

  private readCa(s: V1Secret | undefined): CertificateAuthority | undefined {
    const certPem = unb64(s?.data?.['ca.crt']);
    const keyPem = unb64(s?.data?.['ca.key']);
    if (!certPem || !keyPem) return undefined;
    if (this.lastCaPem !== undefined && this.lastCaPem !== certPem) this.serving = undefined; // replaced: reissue
    this.lastCaPem = certPem;
    return { certPem, keyPem };
  }

  private async createCa(now: Date): Promise<CertificateAuthority> {
    const ca = createCertificateAuthority(
      'portico xDS channel CA',
      new Date(now.getTime() - 60_000),
      new Date(now.getTime() + this.lifetimes.caMs),
    );
    await this.o.writer.apply(this.secret(XDS_CA_SECRET, 'Opaque', { 'ca.crt': ca.certPem, 'ca.key': ca.keyPem }));
    this.o.log.info('xDS channel: CA created', {
      secret: { kind: 'Secret', namespace: this.o.namespace, name: XDS_CA_SECRET },
    });
    this.lastCaPem = ca.certPem;
    return ca;
  }

  private secret(name: string, type: string, files: Record<string, string>) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: this.o.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PKI_LABEL]: 'true' } },
      type,
      data: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, b64(v)])),
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// The object fingerprints of the configs Envoy pods may be serving: computed from the config this process
// compiled, or read back from a generation's ConfigMaps and certificate Secrets (after a restart mid-rollout,
// or for the target of a `kubectl rollout undo`). A handful are kept, newest use first; a generation that
// cannot be read (deleted, or not ours) is remembered as unknown for a while rather than read again and again.
import { unpackConfig } from '../publish/config-chunks.js';
import type { ClusterApi } from '../kube/cluster-writer.js';
import type { Logger } from '../log/logger.js';
import { apiErrorMessage } from '../kube/api-error.js';
import { HASH_LABEL, MANAGED_BY, MANAGED_BY_LABEL } from '../publish/names.js';
import { servedObjectFingerprints, type ObjectFingerprints } from './served-objects.js';

const KEEP = 8;
const UNKNOWN_RETRY_MS = 30_000;

export interface ConfigSource {
  bootstrap: unknown;
  certFiles: Readonly<Record<string, string>>;
}

export class ServedConfigs {
  private readonly known = new Map<string, ObjectFingerprints>();
  private readonly pending = new Map<string, () => ConfigSource>();
  private readonly unknownUntil = new Map<string, number>();

  constructor(
    private readonly writer: ClusterApi,
    private readonly namespace: string,
    private readonly log: Logger,
  ) {}

  /** A config this process has in memory; fingerprinted only if a rollout needs it. */
  offer(hash: string, source: () => ConfigSource): void {
    if (!this.known.has(hash)) this.pending.set(hash, source);
  }

  /** Fingerprints of each hash, reading generations back from the API when needed. */
  async load(hashes: Iterable<string>): Promise<(hash: string) => ObjectFingerprints | undefined> {
    for (const hash of new Set(hashes)) await this.ensure(hash);
    return (hash) => this.known.get(hash);
  }

  private async ensure(hash: string): Promise<void> {
    const have = this.known.get(hash);
    if (have) {
      this.known.delete(hash); // re-insert: newest use last
      this.known.set(hash, have);
      return;
    }
    const source = this.pending.get(hash);
    if (source) {
      const s = source();
      this.store(hash, servedObjectFingerprints(s.bootstrap, s.certFiles));
      this.pending.delete(hash);
      return;
    }
    if ((this.unknownUntil.get(hash) ?? 0) > Date.now()) return;
    try {
      const s = await this.readBack(hash);
      this.store(hash, servedObjectFingerprints(s.bootstrap, s.certFiles));
      this.log.info('read back a published config to compare what its Envoy pods serve', { hash });
    } catch (err) {
      this.unknownUntil.set(hash, Date.now() + UNKNOWN_RETRY_MS);
      this.log.warn('cannot read back a published config; its pods count as not serving the latest objects', {
        hash,
        error: apiErrorMessage(err),
      });
    }
  }

  private store(hash: string, prints: ObjectFingerprints): void {
    this.known.set(hash, prints);
    this.unknownUntil.delete(hash);
    while (this.known.size > KEEP) this.known.delete(this.known.keys().next().value as string);
    while (this.pending.size > KEEP) this.pending.delete(this.pending.keys().next().value as string);
  }

  private async readBack(hash: string): Promise<ConfigSource> {
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY},${HASH_LABEL}=${hash}`;
    const { configMaps, secrets } = await this.writer.readGeneration(this.namespace, selector);
    if (configMaps.length === 0) throw new Error(`no ConfigMap of generation ${hash}`);
    const files = new Map<string, Buffer | string>();
    for (const cm of configMaps) {
      for (const [k, v] of Object.entries(cm.data ?? {})) files.set(k, v);
      for (const [k, v] of Object.entries(cm.binaryData ?? {})) files.set(k, Buffer.from(v, 'base64'));
    }
    const certFiles: Record<string, string> = {};
    for (const s of secrets)
      for (const [k, v] of Object.entries(s.data ?? {})) certFiles[k] = Buffer.from(v, 'base64').toString('utf8');
    return { bootstrap: JSON.parse(unpackConfig(files)), certFiles };
  }
}

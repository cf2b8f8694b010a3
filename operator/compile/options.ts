// The operator's policy knobs that change what the compiler decides. They are a pure input, like the Snapshot:
// `portico run` reads them from flags/environment and passes them down unchanged, so `portico render`, the tests
// and the operator agree on what a given policy means. The defaults are the safe, multi-tenant ones.
import { DNS1123_SUBDOMAIN } from '../api/dns-names.js';

export type HostOwnership = 'namespace' | 'open';
export type ExternalNamePolicy = 'deny' | 'allow';

export interface CompileOptions {
  /**
   * `namespace` (default): a host belongs to the namespace that named it first; other namespaces need its
   * grant, and TLSContext certificates must cover each host (docs/security.md). `open`: one trusted tenant,
   * any object may serve any host (the behaviour before host ownership), certificate mismatches only warn.
   */
  hostOwnership: HostOwnership;
  /**
   * `deny` (default): Mappings never route to ExternalName Services (CVE-2021-25740: an ExternalName is a way
   * around every namespace boundary, and its DNS name can resolve anywhere). `allow`: they do, hardened.
   */
  externalNameServices: ExternalNamePolicy;
  /** The cluster's DNS domain (kubelet --cluster-domain): Service addresses and in-cluster ExternalNames. */
  clusterDomain: string;
}

export const DEFAULT_COMPILE_OPTIONS: Readonly<CompileOptions> = Object.freeze({
  hostOwnership: 'namespace',
  externalNameServices: 'deny',
  clusterDomain: 'cluster.local',
});

/** Fills in defaults; unknown values fall back to the safe default (compile never throws). */
export function resolveCompileOptions(partial: Partial<CompileOptions> | undefined): CompileOptions {
  const p = partial ?? {};
  const domain = typeof p.clusterDomain === 'string' ? p.clusterDomain.toLowerCase().replace(/^\.+|\.+$/g, '') : '';
  return {
    hostOwnership: p.hostOwnership === 'open' ? 'open' : 'namespace',
    externalNameServices: p.externalNameServices === 'allow' ? 'allow' : 'deny',
    clusterDomain:
      DNS1123_SUBDOMAIN.test(domain) && domain.length <= 253 ? domain : DEFAULT_COMPILE_OPTIONS.clusterDomain,
  };
}

/** Raw flag/environment strings, as `portico run` has them. */
export interface CompileOptionFlags {
  hostOwnership?: string;
  externalNameServices?: string;
  clusterDomain?: string;
}

/**
 * For the CLI: the options from flag values, with an error naming the flag for a value that is not allowed
 * (a typo must stop the operator, not silently become the default).
 */
export function parseCompileOptionFlags(flags: CompileOptionFlags): CompileOptions {
  const choose = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
    if (value === undefined || value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`${flag}: expected ${allowed.join(' or ')}, got ${JSON.stringify(value)}`);
  };
  const hostOwnership = choose(
    '--host-ownership',
    flags.hostOwnership,
    ['namespace', 'open'] as const,
    DEFAULT_COMPILE_OPTIONS.hostOwnership,
  );
  const externalNameServices = choose(
    '--external-name-services',
    flags.externalNameServices,
    ['deny', 'allow'] as const,
    DEFAULT_COMPILE_OPTIONS.externalNameServices,
  );
  let clusterDomain = DEFAULT_COMPILE_OPTIONS.clusterDomain;
  if (flags.clusterDomain !== undefined && flags.clusterDomain !== '') {
    const d = flags.clusterDomain.toLowerCase().replace(/\.$/, '');
    if (!DNS1123_SUBDOMAIN.test(d) || d.length > 253)
      throw new Error(
        `--cluster-domain: ${JSON.stringify(flags.clusterDomain)} is not a DNS name (e.g. cluster.local)`,
      );
    clusterDomain = d;
  }
  return { hostOwnership, externalNameServices, clusterDomain };
}

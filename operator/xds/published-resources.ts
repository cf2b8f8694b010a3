// A published config (the static bootstrap publish/ stores, plus its certificate files) → the xDS resources
// that serve the same thing to an Envoy bootstrapped for ADS (pure). Nothing is compiled again, so every operator
// replica turns the same published generation into the same resources:
// - clusters → CDS, as they are;
// - listeners → LDS, each connection manager's inline route_config moved out to RDS under a name of its own;
// - certificate files a listener names (tls_certificates with file names under the certs mount) → SDS secrets,
//   so private keys reach Envoy over the mutually authenticated stream and never sit in a file; other files
//   under the mount (CA bundles) are inlined where they are named.
// Each type gets a version of its own (a hash of its resources), so a change that leaves clusters alone does not
// push CDS again.
import { createHash } from 'node:crypto';
import { CERTS_DIR } from '../envoy/constants.js';
import { ADS_CONFIG_SOURCE, XdsTypes, type XdsTypeUrl } from './resource-types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface XdsResource {
  name: string;
  /** proto3 JSON of the resource's message. */
  json: Obj;
  /** Canonical JSON text (what the version hashes and the encoder caches by). */
  text: string;
}

export interface XdsTypeSet {
  version: string;
  resources: ReadonlyMap<string, XdsResource>;
}

export interface XdsSnapshot {
  /** The published config's hash: the generation these resources come from. */
  hash: string;
  types: Readonly<Record<XdsTypeUrl, XdsTypeSet>>;
}

export class PublishedConfigError extends Error {}

function typeSet(resources: XdsResource[]): XdsTypeSet {
  const sorted = [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const h = createHash('sha256');
  for (const r of sorted) h.update(r.name).update('\0').update(r.text).update('\n');
  return { version: h.digest('hex').slice(0, 16), resources: new Map(sorted.map((r) => [r.name, r])) };
}

const resource = (name: string, json: Obj): XdsResource => ({ name, json, text: JSON.stringify(json) });

/** A file name under the certs mount, or undefined. */
function certFileOf(v: unknown): string | undefined {
  if (!isObj(v) || typeof v.filename !== 'string' || !v.filename.startsWith(`${CERTS_DIR}/`)) return undefined;
  return v.filename.slice(CERTS_DIR.length + 1);
}

/** The secret name of a certificate/key pair: both file names, so a pair is one secret whatever its chains. */
export const secretName = (certFile: string, keyFile: string): string => `${certFile}|${keyFile}`;

class Builder {
  readonly secrets = new Map<string, XdsResource>();
  readonly routes: XdsResource[] = [];

  constructor(private readonly certFiles: Readonly<Record<string, string>>) {}

  private file(name: string, at: string): string {
    const pem = this.certFiles[name];
    if (pem === undefined)
      throw new PublishedConfigError(
        `${at} names ${CERTS_DIR}/${name}, which the published certificates do not contain`,
      );
    return pem;
  }

  /** A transport socket with its certificate files served over SDS (key pairs) or inlined (anything else). */
  transportSocket(ts: unknown, at: string): unknown {
    const walk = (v: unknown, path: string): unknown => {
      if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
      if (!isObj(v)) return v;
      const file = certFileOf(v);
      if (file !== undefined) return { inline_string: this.file(file, path) };
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === 'tls_certificates' && Array.isArray(x)) {
          out.tls_certificate_sds_secret_configs = x.map((c, i) => this.sdsPair(c, `${path}.tls_certificates[${i}]`));
        } else out[k] = walk(x, `${path}.${k}`);
      }
      return out;
    };
    return walk(ts, at);
  }

  private sdsPair(cert: unknown, at: string): Obj {
    const chain = isObj(cert) ? certFileOf(cert.certificate_chain) : undefined;
    const key = isObj(cert) ? certFileOf(cert.private_key) : undefined;
    if (chain === undefined || key === undefined)
      throw new PublishedConfigError(`${at}: expected certificate_chain and private_key files under ${CERTS_DIR}`);
    const name = secretName(chain, key);
    if (!this.secrets.has(name)) {
      this.secrets.set(
        name,
        resource(name, {
          name,
          tls_certificate: {
            certificate_chain: { inline_string: this.file(chain, at) },
            private_key: { inline_string: this.file(key, at) },
          },
        }),
      );
    }
    return { name, sds_config: ADS_CONFIG_SOURCE };
  }

  listener(l: Obj, li: number): Obj {
    const lname = typeof l.name === 'string' ? l.name : `listener-${li}`;
    const used = new Set<string>();
    const chains = asArray(l.filter_chains).map((chain, ci) => {
      if (!isObj(chain)) return chain;
      const at = `listener ${lname} filter_chains[${ci}]`;
      let base = `${lname}/${typeof chain.name === 'string' ? chain.name : 'default'}`;
      if (used.has(base)) base = `${base}#${ci}`;
      used.add(base);
      const filters = asArray(chain.filters).map((f, fi) => this.filter(f, fi === 0 ? base : `${base}#${fi}`));
      const out: Obj = { ...chain, filters };
      if (chain.transport_socket !== undefined)
        out.transport_socket = this.transportSocket(chain.transport_socket, `${at}.transport_socket`);
      return out;
    });
    return { ...l, filter_chains: chains };
  }

  /** A connection manager's inline route_config → an RDS reference; any other filter as it is. */
  private filter(f: unknown, routeName: string): unknown {
    if (!isObj(f) || !isObj(f.typed_config) || !isObj(f.typed_config.route_config)) return f;
    const { route_config, ...hcm } = f.typed_config;
    this.routes.push(resource(routeName, { ...(route_config as Obj), name: routeName }));
    return { ...f, typed_config: { ...hcm, rds: { route_config_name: routeName, config_source: ADS_CONFIG_SOURCE } } };
  }
}

/** The xDS resources of one published generation. */
export function xdsSnapshotOf(
  hash: string,
  bootstrap: unknown,
  certFiles: Readonly<Record<string, string>>,
): XdsSnapshot {
  const root = isObj(bootstrap) ? bootstrap : {};
  const staticResources = isObj(root.static_resources) ? root.static_resources : {};
  const b = new Builder(certFiles);
  const listeners = asArray(staticResources.listeners).map((l, i) => {
    if (!isObj(l) || typeof l.name !== 'string')
      throw new PublishedConfigError(`static_resources.listeners[${i}] has no name`);
    return resource(l.name, b.listener(l, i));
  });
  const clusters = asArray(staticResources.clusters).map((c, i) => {
    if (!isObj(c) || typeof c.name !== 'string')
      throw new PublishedConfigError(`static_resources.clusters[${i}] has no name`);
    const out: Obj = { ...c };
    if (c.transport_socket !== undefined)
      out.transport_socket = b.transportSocket(c.transport_socket, `cluster ${c.name}.transport_socket`);
    return resource(c.name, out);
  });
  return {
    hash,
    types: {
      [XdsTypes.cluster]: typeSet(clusters),
      [XdsTypes.endpoint]: typeSet([]),
      [XdsTypes.secret]: typeSet([...b.secrets.values()]),
      [XdsTypes.listener]: typeSet(listeners),
      [XdsTypes.route]: typeSet(b.routes),
    } as Record<XdsTypeUrl, XdsTypeSet>,
  };
}

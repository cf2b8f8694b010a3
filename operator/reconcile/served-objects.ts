// What each Mapping and TLSContext amounts to in one published Envoy config, as a fingerprint (pure). Two
// configs serve an object the same way exactly when its fingerprints are equal, so an object a new config
// leaves unchanged is still served, as written, by Envoy pods running the old one: it stays Programmed=True
// through the rollout, while the objects that changed wait for it to complete.
//
// Read from the Envoy bootstrap itself (not the IR), so the same function works on a config compiled in this
// process and on one read back from its ConfigMaps (after a restart, or for a `kubectl rollout undo` target):
// - a Mapping is every route named `<namespace>/<name>` (on each listener, filter chain and virtual host it
//   appears in, with the virtual host's domains; a host-less route once, on `*`) and every cluster it names;
// - a TLSContext is its filter chain (named `<namespace>/<name>`) without the routes it carries, plus the
//   contents of the certificate files it names and the hosts redirected to HTTPS;
// - everything else in the bootstrap (listeners, connection managers, admin) is common to all objects: when
//   it changes, every object waits for the rollout.
import { createHash } from 'node:crypto';

export type ObjectFingerprints = ReadonlyMap<string, string>;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Names that point at a source object (`<namespace>/<name>`), not at Portico's own routes or chains. */
const isObjectName = (n: unknown): n is string => typeof n === 'string' && /^[^/]+\/[^/]+$/.test(n);

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (isObject(v)) for (const x of Object.values(v)) strings(x, out);
  return out;
}

function routeConfigs(chain: Json): Json[] {
  const out: Json[] = [];
  for (const f of asArray(chain.filters)) {
    const rc = isObject(f) && isObject(f.typed_config) ? f.typed_config.route_config : undefined;
    if (isObject(rc)) out.push(rc);
  }
  return out;
}

const isRedirectOnly = (vh: Json) => {
  const routes = asArray(vh.routes);
  return (
    routes.length > 0 && routes.every((r) => isObject(r) && isObject(r.redirect) && r.redirect.https_redirect === true)
  );
};

const isCatchAll = (vh: Json) => Array.isArray(vh.domains) && vh.domains.length === 1 && vh.domains[0] === '*';

const sha = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** `Mapping/<ns>/<name>` and `TLSContext/<ns>/<name>` → fingerprint, for every object the config serves. */
export function servedObjectFingerprints(
  bootstrap: unknown,
  certFiles: Readonly<Record<string, string>>,
): ObjectFingerprints {
  const root = isObject(bootstrap) ? bootstrap : {};
  const resources = isObject(root.static_resources) ? root.static_resources : {};
  const clusters = new Map<string, string>();
  for (const c of asArray(resources.clusters))
    if (isObject(c) && typeof c.name === 'string') clusters.set(c.name, JSON.stringify(c));

  const parts = new Map<string, string[]>();
  const add = (key: string, part: string) => {
    const list = parts.get(key);
    if (list) list.push(part);
    else parts.set(key, [part]);
  };
  const redirects: string[] = [];
  const tlsChains: Array<{ key: string; chain: Json }> = [];

  for (const listener of asArray(resources.listeners)) {
    if (!isObject(listener)) continue;
    const lname = String(listener.name ?? '');
    for (const chain of asArray(listener.filter_chains)) {
      if (!isObject(chain)) continue;
      const cname = isObjectName(chain.name) ? chain.name : '';
      if (cname) tlsChains.push({ key: `TLSContext/${cname}`, chain });
      for (const rc of routeConfigs(chain)) {
        const vhosts = asArray(rc.virtual_hosts).filter(isObject);
        // A host-less Mapping's route is on the `*` virtual host and copied onto every other one: count it once,
        // so a new host elsewhere does not change every host-less Mapping.
        const hostless = new Set(
          vhosts.filter(isCatchAll).flatMap((vh) => asArray(vh.routes).map((r) => (isObject(r) ? r.name : undefined))),
        );
        for (const vh of vhosts) {
          const domains = JSON.stringify(vh.domains ?? []);
          if (isRedirectOnly(vh)) redirects.push(`${lname}|${domains}`);
          const catchAll = isCatchAll(vh);
          for (const route of asArray(vh.routes)) {
            if (!isObject(route) || !isObjectName(route.name)) continue;
            if (!catchAll && hostless.has(route.name)) continue;
            const text = JSON.stringify(route);
            const used = [...new Set(strings(route).filter((s) => clusters.has(s)))].sort().map((n) => clusters.get(n));
            add(`Mapping/${route.name}`, `${lname}|${cname}|${domains}|${text}|${used.join(',')}`);
          }
        }
      }
    }
  }

  const redirectPart = `redirects:${redirects.sort().join(';')}`;
  const certNames = Object.keys(certFiles);
  for (const { key, chain } of tlsChains) {
    const text = JSON.stringify(chain, (k, v) => (k === 'route_config' ? undefined : v));
    const files = strings(chain.transport_socket).flatMap((s) =>
      certNames.filter((n) => s === n || s.endsWith(`/${n}`)),
    );
    const contents = [...new Set(files)].sort().map((n) => `${n}:${sha(certFiles[n])}`);
    add(key, `${text}|${contents.join(',')}|${redirectPart}`);
  }

  // Everything not attributed to one object: routes, clusters and the TLSContexts' chains left out.
  const common = JSON.stringify(root, function (this: unknown, k, v) {
    if (k === 'route_config') return undefined;
    if (k === 'clusters' && this === resources) return undefined;
    if (k === 'filter_chains' && Array.isArray(v)) return v.filter((c) => !(isObject(c) && isObjectName(c.name)));
    return v;
  });
  const commonHash = sha(common);

  const out = new Map<string, string>();
  for (const [key, list] of parts) out.set(key, sha(`${commonHash}\n${list.sort().join('\n')}`));
  return out;
}

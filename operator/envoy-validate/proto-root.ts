// Loads Envoy's own .proto files (shipped by @grpc/grpc-js-xds) into one protobufjs Root, once, lazily.
// The file set is every v3 proto under envoy/config and envoy/extensions whose import closure resolves
// (a few import third-party protos, e.g. OpenTelemetry, that are not shipped), plus the TypedStruct types and
// the xDS discovery messages.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);

export interface ProtoLoadStats {
  files: number; // .proto files requested (the import closure adds more)
  skipped: string[]; // candidate files left out because an import does not resolve
  loadMs: number;
}

let cached: { root: protobuf.Root; stats: ProtoLoadStats } | undefined;

/** The shared Root (loaded on first call). */
export function envoyProtoRoot(): protobuf.Root {
  return loadOnce().root;
}

export function protoLoadStats(): ProtoLoadStats {
  return loadOnce().stats;
}

function loadOnce(): { root: protobuf.Root; stats: ProtoLoadStats } {
  if (cached) return cached;
  const started = performance.now();
  const depsDir = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const searchDirs = ['envoy-api', 'xds', 'protoc-gen-validate', 'googleapis'].map((d) => path.join(depsDir, d));
  searchDirs.push(path.dirname(require.resolve('protobufjs/package.json'))); // google/protobuf/descriptor.proto
  const locate = (target: string): string | undefined => {
    for (const dir of searchDirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
  };

  const envoyApi = searchDirs[0];
  const candidates = [
    ...listProtos(envoyApi, 'envoy/config'),
    ...listProtos(envoyApi, 'envoy/extensions'),
    'xds/type/v3/typed_struct.proto',
    'udpa/type/v1/typed_struct.proto',
    // DiscoveryRequest/DiscoveryResponse: what operator/xds/ streams to Envoy (ADS)
    'envoy/service/discovery/v3/discovery.proto',
    // every JSON well-known type, so an Any may hold one even if no Envoy proto imports it
    ...['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'].map(
      (n) => `google/protobuf/${n}.proto`,
    ),
  ].filter((f) => !/\/v2(alpha\d*)?\//.test(f)); // v2 protos import the absent envoy/api/v2 tree

  const resolvable = new Map<string, boolean>();
  const closureResolves = (file: string, visiting: Set<string>): boolean => {
    const known = resolvable.get(file);
    if (known !== undefined) return known;
    if (visiting.has(file)) return true; // cycle: decided by the outer frame
    visiting.add(file);
    let ok: boolean;
    if (protobuf.common.get(file))
      ok = true; // bundled google/protobuf/{any,duration,...}.proto
    else {
      const found = locate(file);
      ok = found !== undefined && importsOf(found).every((imp) => closureResolves(imp, visiting));
    }
    resolvable.set(file, ok);
    return ok;
  };
  const files = candidates.filter((f) => closureResolves(f, new Set()));
  const skipped = candidates.filter((f) => !files.includes(f));

  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => locate(target) ?? target;
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  cached = { root, stats: { files: files.length, skipped, loadMs: Math.round(performance.now() - started) } };
  return cached;
}

function listProtos(baseDir: string, sub: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(baseDir, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.proto')) out.push(child);
    }
  };
  walk(sub);
  return out.sort();
}

function importsOf(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map((m) => m[1]);
}

/** Exact lookup by full name. (Root.lookup also searches nested namespaces, so it would accept
 *  partial names such as "v3.Router", which Envoy rejects.) */
export function lookupMessageType(root: protobuf.Root, fullName: string): protobuf.Type | null {
  let current: protobuf.ReflectionObject | undefined = root;
  for (const segment of fullName.replace(/^\./, '').split('.')) {
    const nested: Record<string, protobuf.ReflectionObject> | undefined = (current as protobuf.Namespace).nested;
    current = nested && Object.prototype.hasOwnProperty.call(nested, segment) ? nested[segment] : undefined;
    if (!current) return null;
  }
  return current instanceof protobuf.Type ? current : null;
}

// The embedded Kubernetes API server (issue 3): what `portico dev` runs and every integration test uses.
// startApiServer() serves the Kubernetes REST API over HTTP on loopback; see endpoints/router.ts for the routes
// and ../../test/support/test-cluster.ts for the test harness built on it. This file is the composition root:
// it builds the state, starts the controllers and the listener, and is all that the rest of operator/ imports.
//
// The folders, each importing only the ones listed before it (api-state.ts is the store, the registry and the
// clock that writes, controllers and endpoints share):
// - patch/        JSON patch, merge patch, strategic merge, server-side apply and managedFields, pure.
// - encoding/     bytes and objects: JSON/YAML and protobuf request bodies, the nesting limit, Status error
//                 bodies (ApiError), meta.k8s.io Tables with their printer-column JSONPath and human ages.
// - storage/      the object store (one resourceVersion, watch history, owner index, etcd's size limit) and
//                 what keeps it across restarts: snapshot and journal, private durable files, the state lock.
// - schemas/      the shape of each kind: built-ins and every object's metadata by their Go types (read from
//                 client-node's models), custom resources by their CRD's openAPIV3Schema (pruning, defaults,
//                 validation, list types, x-kubernetes-validations through operator/api's CEL subset).
// - registry/     which resources exist: the built-ins with their registry strategy flags, field labels and
//                 columns, and the types that established CRDs add.
// - admission/    the checks of every write in the real server's order: decode into the type (400), defaults,
//                 ObjectMeta and per-kind validation (422), with fieldValidation deciding what unknown fields do.
// - writes/       create, update and delete as the generic registry store does them (transport-free), the CRD
//                 status the apiextensions controllers write with each CRD, and the one bridge to patch/.
// - controllers/  what runs after writes: garbage collector, namespace and CRD lifecycle, Deployment rollouts.
// - security/     who may connect (loopback Host, no Origin, bearer token), the self-signed certificate, the
//                 kubeconfig that carries both.
// - endpoints/    HTTP: routing, the REST verbs, PATCH, list paging, selectors, watch streams, discovery,
//                 /openapi, the listener.
// - test-hooks/   what tests observe and inject: the audit log and fault injection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiState } from './api-state.js';
import { AuditLog } from './test-hooks/audit-log.js';
import { installCrds, registerStoredCrds, startCrdLifecycle } from './controllers/crd-lifecycle.js';
import { startDeploymentController } from './controllers/deployment-controller.js';
import { FaultInjector } from './test-hooks/faults.js';
import { startGarbageCollector } from './controllers/garbage-collector.js';
import { sendError } from './endpoints/http-io.js';
import { HttpListener } from './endpoints/http-listener.js';
import { writeKubeconfigFile } from './security/kubeconfig.js';
import { startNamespaceLifecycle } from './controllers/namespace-lifecycle.js';
import { createObject } from './writes/object-writes.js';
import { refuseRequest } from './security/request-guard.js';
import { loadState, persistOnChange } from './storage/persistence.js';
import { ResourceRegistry } from './registry/registry.js';
import { route } from './endpoints/router.js';
import type { ServerCertificate } from './security/self-signed-cert.js';
import { ObjectStore } from './storage/store.js';
import type { K8sObject } from './storage/stored-objects.js';
import { WatchRegistry } from './endpoints/watch.js';

export { FaultInjector } from './test-hooks/faults.js';
export { lockStateFolder, StateFolderLockedError, type StateLock } from './storage/state-lock.js';
export { ensurePrivateDir } from './storage/state-files.js';
export { selfSignedCertificate, type ServerCertificate } from './security/self-signed-cert.js';

export interface ApiServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Load state from this JSON file at start and save every write (see storage/persistence.ts). */
  statePath?: string;
  /**
   * Require `Authorization: Bearer <token>` on every request but /version and the health checks (portico dev
   * passes a random one per run; writeKubeconfig() writes it). Without it any client is accepted.
   */
  token?: string;
  /** Serve HTTPS with this certificate (kubectl sends a token only over https); selfSignedCertificate() makes one. */
  tls?: ServerCertificate;
  /** CustomResourceDefinition objects to install at start (e.g. from crds/*.yaml). */
  crds?: object[];
  /** Interval of watch BOOKMARK events for clients that allow them (default 60 s, as a real server roughly does). */
  bookmarkIntervalMs?: number;
  /** How many change events watches can resume from (default 10 000). */
  historyLimit?: number;
  /** How many bytes of changed objects (as JSON) that history may hold (default 32 MiB). */
  historyBytes?: number;
  /** How many bytes of events may wait for a watcher that does not read before its stream is cut (64 MiB). */
  watchBufferBytes?: number;
  /**
   * Run a Deployment controller (controllers/deployment-controller.ts): ReplicaSets with revisions, so `kubectl rollout
   * history|undo|status` work. Off by default: tests see exactly what their clients wrote.
   */
  deploymentController?: boolean;
  /** How many requests the audit log keeps (ring buffer, default 100 000). */
  auditLimit?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  faults: FaultInjector;
  /** Every request this server answered (test-hooks/audit-log.ts): entries(), writes(), clear(). */
  audit: AuditLog;
  /** The current global resourceVersion. */
  readonly resourceVersion: number;
  /** Watches cut because their client stopped reading (watchBufferBytes). */
  readonly slowWatchersCut: number;
  close(): Promise<void>;
  /** Writes a kubeconfig (0600) for this server, with its token. */
  writeKubeconfig(path: string): Promise<void>;
}

// Above the largest burst one request can cause (deleting 10k Mappings queues ~15 MiB at once).
const DEFAULT_WATCH_BUFFER_BYTES = 64 * 1024 * 1024;
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const SYSTEM = { manager: 'kube-apiserver', fieldValidation: 'Ignore' as const, dryRun: false };

export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const store = new ObjectStore({ maxEvents: opts.historyLimit, maxBytes: opts.historyBytes });
  const registry = new ResourceRegistry();
  const state: ApiState = {
    store,
    registry,
    now: () => new Date(),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    watchBufferBytes: opts.watchBufferBytes ?? DEFAULT_WATCH_BUFFER_BYTES,
  };
  if (opts.statePath && loadState(store, opts.statePath)) registerStoredCrds(state);
  const persistence = opts.statePath ? persistOnChange(store, opts.statePath) : undefined;
  const stopControllers = [startGarbageCollector(state), startNamespaceLifecycle(state), startCrdLifecycle(state)];
  if (opts.deploymentController) stopControllers.push(startDeploymentController(state));

  const namespaces = registry.find('', 'v1', 'namespaces')!;
  for (const name of DEFAULT_NAMESPACES) {
    if (!store.get('/namespaces', undefined, name))
      createObject(state, namespaces, undefined, { metadata: { name } }, SYSTEM);
  }
  installCrds(state, (opts.crds ?? []) as K8sObject[], SYSTEM);

  const watches = new WatchRegistry();
  let listener: HttpListener;
  const faults = new FaultInjector({
    closeWatches: () => watches.closeAll(),
    stopListening: async () => {
      watches.closeAll();
      await listener.stop();
    },
    startListening: () => listener.start(),
  });

  const audit = new AuditLog(opts.auditLimit ?? 100_000);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const entry = audit.begin(req, res);
    const refusal = refuseRequest(req.headers, new URL(req.url ?? '/', 'http://localhost').pathname, opts.token);
    if (refusal) {
      req.resume();
      return sendError(res, refusal);
    }
    const { delayMs, error } = faults.intercept(req.method ?? 'GET', req.url ?? '/');
    if (error) entry.injectedFault = true;
    const run = (): void => {
      if (error) {
        req.resume();
        return sendError(res, error);
      }
      route(state, watches, req, res).catch((err) => sendError(res, err));
    };
    if (delayMs > 0) setTimeout(run, delayMs);
    else run();
  };
  listener = new HttpListener(host, opts.port ?? 0, handle, opts.tls);
  try {
    await listener.start();
  } catch (err) {
    for (const stop of stopControllers) stop();
    persistence?.stop();
    throw err;
  }
  const url = `${opts.tls ? 'https' : 'http'}://${host}:${listener.port}`;

  let closed = false;
  return {
    url,
    port: listener.port,
    faults,
    audit,
    get resourceVersion() {
      return store.resourceVersion;
    },
    get slowWatchersCut() {
      return watches.cutForSlowness;
    },
    async close() {
      if (closed) return;
      closed = true;
      watches.closeAll();
      await listener.stop();
      for (const stop of stopControllers) stop();
      persistence?.stop();
    },
    writeKubeconfig: (path: string) => writeKubeconfigFile(path, url, opts.token, opts.tls?.cert),
  };
}

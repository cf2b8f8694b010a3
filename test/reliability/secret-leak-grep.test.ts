// Issue 7 item 5 (the grep): after a TLS run with errors on purpose (a key that does not match its
// certificate, a Secret swapped under a live TLSContext, injected API failures so error paths log), the
// private keys, in PEM, base64 and bare-body form, appear nowhere the operator writes or serves: its logs (at
// debug level), Kubernetes Events, the statuses of Mappings and TLSContexts, /metrics, /healthz, /readyz and
// the /portico/v1/* diagnostics. A control search proves the grep finds the keys where they do belong (the
// user's Secrets).
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { waitForConvergence } from './support/convergence.js';
import { sleep, startReliabilityCluster, type ReliabilityCluster } from './support/reliability-cluster.js';
import { recordSection } from './support/report.js';
import { runCerts, secretForms } from './support/test-certs.js';
import { b64, tlsContext } from '../support/objects.js';

describe('reliability: Secret data never leaks', function () {
  this.timeout(60_000);
  let rc: ReliabilityCluster;
  after(async () => rc?.stop());

  it('private keys appear in no log line, Event, status, metric or diagnostics endpoint after a TLS run', async () => {
    rc = await startReliabilityCluster();
    const kc = rc.cluster.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const certs = runCerts(3);
    let logs = '';
    const stream = new PassThrough();
    stream.on('data', (d) => (logs += d));
    const op = await rc.startOperator({ identity: 'leak-op', logLevel: 'debug', logStream: stream });

    // client-node's V1Secret (a Date creationTimestamp), so not support/objects.ts's Secret.
    const secret = (name: string, crt: string, key: string) => ({
      metadata: { name, namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
    });
    await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'svc-0' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    });
    await core.createNamespacedSecret({
      namespace: 'default',
      body: secret('good', certs[0].certPem, certs[0].keyPem),
    });
    await core.createNamespacedSecret({
      namespace: 'default',
      body: secret('mismatched', certs[1].certPem, certs[2].keyPem),
    });
    const tls = (name: string, host: string, secretName: string) =>
      tlsContext('default', name, { hosts: [host], secret: secretName });
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'tlscontexts',
      body: tls('good', certs[0].host, 'good'),
    });
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'tlscontexts',
      body: tls('bad', certs[1].host, 'mismatched'),
    });
    await custom.createNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'mappings',
      body: {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'Mapping',
        metadata: { name: 'm', namespace: 'default' },
        spec: { prefix: '/m/', service: 'svc-0', host: certs[0].host },
      },
    });
    expect((await waitForConvergence(kc, 15_000)).gaps).to.deep.equal([]);

    // Error paths: failed publishes and status writes get logged; then swap the good Secret's key under the live TLSContext.
    rc.cluster.server.faults.failNext(6, { status: 500, path: /portico-system|status/ });
    await core.patchNamespacedSecret(
      { name: 'good', namespace: 'default', body: { data: { 'tls.key': b64(certs[1].keyPem) } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await sleep(500);
    await core.patchNamespacedSecret(
      { name: 'good', namespace: 'default', body: { data: { 'tls.key': b64(certs[0].keyPem) } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect((await waitForConvergence(kc, 15_000)).gaps).to.deep.equal([]);

    const get = async (path: string) => (await fetch(`http://127.0.0.1:${op.httpPort}${path}`)).text();
    const events = await core.listEventForAllNamespaces();
    const statuses = await Promise.all(
      ['mappings', 'tlscontexts'].map(async (plural) =>
        (
          (await custom.listClusterCustomObject({ group: 'portico.dev', version: 'v1alpha1', plural })) as {
            items: Array<{ status?: unknown }>;
          }
        ).items.map((o) => o.status),
      ),
    );
    const places: Record<string, string> = {
      logs,
      events: JSON.stringify(events.items),
      statuses: JSON.stringify(statuses),
      metrics: await get('/metrics'),
      healthz: await get('/healthz'),
      readyz: await get('/readyz'),
      health: await get('/portico/v1/health'),
      mappings: await get('/portico/v1/mappings'),
      config: await get('/portico/v1/config'),
    };
    const forms = certs.flatMap(secretForms);
    const leaks = Object.entries(places).flatMap(([place, text]) =>
      forms.filter((f) => text.includes(f)).map((f) => `${place}: ${f.slice(0, 30)}…`),
    );

    // Control: the same grep finds the keys in the user's Secrets, and the run did exercise error paths.
    const userSecrets = JSON.stringify((await core.listNamespacedSecret({ namespace: 'default' })).items);
    expect(
      forms.filter((f) => userSecrets.includes(f)).length,
      'the grep finds keys where they belong',
    ).to.be.greaterThan(0);
    expect(logs).to.match(/"level":"(warn|error)"/);
    expect(places.events).to.include('mismatched');

    recordSection(
      'secretGrep',
      {
        scenario: 'Secret data grep (logs, Events, statuses, metrics, diagnostics)',
        inputs: forms.length * Object.keys(places).length,
        lostUpdates: 0,
        crashes: 0,
        notes: `${leaks.length} leaks; ${logs.split('\n').length} log lines, ${events.items.length} Events searched`,
      },
      { places: Object.fromEntries(Object.entries(places).map(([k, v]) => [k, v.length])), leaks },
    );
    expect(leaks).to.deep.equal([]);
  });
});

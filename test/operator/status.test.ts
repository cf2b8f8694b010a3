// Statuses and Events the operator writes for good and bad objects: a missing Service, a TLSContext whose
// Secret is missing / added / replaced by a mismatched key, and an invalid Mapping beside valid ones. Also:
// no Secret data in any endpoint, Event or log line.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { tlsSecret } from '../support/objects.js';
import { selfSignedCert, type CertPair } from '../support/pki.js';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import {
  clusterWithEnvoy,
  runOperator,
  kubectlOk,
  http,
  envoyDeployment,
  envoyConfig,
  routesOf,
  waitForCondition,
  conditionOf,
  eventually,
} from './harness.js';

const tlsSecretJson = (name: string, pair: CertPair) => JSON.stringify(tlsSecret('default', name, pair.cert, pair.key));

const mapping = (name: string, prefix: string, service: string) =>
  JSON.stringify({
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name, namespace: 'default' },
    spec: { prefix, service },
  });
const service = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { ports: [{ name: 'http', port: 80 }] },
  });

describe('operator: statuses, Events and rejected objects', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let op: RunningOperator;
  let certA: CertPair;
  let certB: CertPair;
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (d) => (logText += d));

  before(async () => {
    certA = selfSignedCert('a.test', ['a.test'], undefined, 30);
    certB = selfSignedCert('b.test', ['b.test'], undefined, 30);
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster, { logLevel: 'debug', logStream: logs });
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it('a Mapping to a missing Service is BackendNotFound with an Event, and Programmed once the Service exists', async () => {
    await kubectlOk(cluster, ['apply', '-f', '-'], mapping('orphan', '/orphan/', 'nosuchsvc'));
    const o = await waitForCondition(cluster, 'mappings', 'orphan', 'ResolvedRefs', 'False', 'BackendNotFound');
    expect(conditionOf(o, 'Programmed')?.status).to.not.equal('True');
    expect(conditionOf(o, 'ResolvedRefs')?.message).to.match(/nosuchsvc/);
    const events = await eventually(
      'a BackendNotFound Event',
      async () => {
        const list = JSON.parse(await kubectlOk(cluster, ['get', 'events', '-n', 'default', '-o', 'json'])).items;
        return list.filter((e: any) => e.involvedObject.name === 'orphan' && e.reason === 'BackendNotFound').length
          ? list
          : undefined;
      },
      5000,
      100,
    );
    expect(events.find((e: any) => e.involvedObject.name === 'orphan').type).to.equal('Warning');
    await kubectlOk(cluster, ['apply', '-f', '-'], service('nosuchsvc'));
    await waitForCondition(cluster, 'mappings', 'orphan', 'Programmed', 'True');
    const routes = routesOf(await envoyConfig(cluster, (await envoyDeployment(cluster)).hash!));
    expect(routes.find((r) => r.prefix === '/orphan/')?.cluster).to.match(/nosuchsvc/);
  });

  it('a TLSContext: Secret missing → SecretNotFound; added → Programmed with an HTTPS listener; mismatched key → KeyMismatch', async () => {
    const ctx = JSON.stringify({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name: 'site', namespace: 'default' },
      spec: { hosts: ['a.test'], secret: 'site-tls' },
    });
    await kubectlOk(cluster, ['apply', '-f', '-'], ctx);
    await waitForCondition(cluster, 'tlscontexts', 'site', 'ResolvedRefs', 'False', 'SecretNotFound');

    await kubectlOk(cluster, ['apply', '-f', '-'], tlsSecretJson('site-tls', certA));
    const ok = await waitForCondition(cluster, 'tlscontexts', 'site', 'Programmed', 'True');
    expect(ok.status.notAfter).to.be.a('string');
    const d = await envoyDeployment(cluster);
    const config = await envoyConfig(cluster, d.hash!);
    expect(JSON.stringify(config)).to.include('8443');
    const certs = JSON.parse(
      await kubectlOk(cluster, ['get', 'secret', '-n', 'portico-system', d.secret!, '-o', 'json']),
    );
    expect(Object.keys(certs.data).length).to.be.greaterThan(0);

    await kubectlOk(cluster, ['apply', '-f', '-'], tlsSecretJson('site-tls', { cert: certA.cert, key: certB.key }));
    await waitForCondition(cluster, 'tlscontexts', 'site', 'ResolvedRefs', 'False', 'KeyMismatch');
    const after = await eventually(
      'config without the HTTPS listener',
      async () => {
        const now = await envoyDeployment(cluster);
        return now.hash !== d.hash ? now : undefined;
      },
      5000,
      50,
    );
    expect(JSON.stringify(await envoyConfig(cluster, after.hash!))).to.not.include('8443');
  });

  it('an invalid Mapping is rejected by name and field while the valid ones are still served', async () => {
    await kubectlOk(cluster, ['apply', '-f', '-'], service('goodsvc'));
    await kubectlOk(cluster, ['apply', '-f', '-'], mapping('good', '/good/', 'goodsvc'));
    await kubectlOk(cluster, ['apply', '-f', '-'], mapping('bad', '/bad/', 'ftp://goodsvc'));
    const bad = await waitForCondition(cluster, 'mappings', 'bad', 'Accepted', 'False', 'Invalid');
    expect(conditionOf(bad, 'Accepted')!.message).to.match(/service/);
    await waitForCondition(cluster, 'mappings', 'good', 'Programmed', 'True');
    const routes = routesOf(await envoyConfig(cluster, (await envoyDeployment(cluster)).hash!));
    expect(routes.some((r) => r.prefix === '/good/')).to.equal(true);
    // Its prefix is usable, so it keeps it and answers 503 rather than letting /bad/ fall through (issue 12 §1).
    const bad503 = routes.filter((r) => r.prefix === '/bad/').map((r) => r.direct);
    expect(bad503.length).to.be.greaterThan(0);
    expect(bad503.every((status) => status === 503)).to.equal(true);
    const diag = JSON.parse((await http(op.httpPort, '/portico/v1/mappings')).body);
    expect(diag.mappings.find((m: any) => m.name === 'bad').state).to.equal('Invalid');
  });

  it('never shows a private key in diagnostics, Events, statuses or logs', async () => {
    const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'))[0];
    const surfaces = [
      (await http(op.httpPort, '/portico/v1/config')).body,
      (await http(op.httpPort, '/portico/v1/mappings')).body,
      (await http(op.httpPort, '/metrics')).body,
      (await http(op.httpPort, '/readyz')).body,
      await kubectlOk(cluster, ['get', 'events', '-A', '-o', 'json']),
      await kubectlOk(cluster, ['get', 'tlscontexts', '-A', '-o', 'json']),
      logText,
    ];
    expect(logText.length).to.be.greaterThan(1000);
    for (const text of surfaces) {
      expect(text).to.not.include('PRIVATE KEY');
      expect(text).to.not.include(keyBody(certA.key));
      expect(text).to.not.include(keyBody(certB.key));
      expect(text).to.not.include(Buffer.from(certA.key).toString('base64').slice(0, 40));
    }
  });
});

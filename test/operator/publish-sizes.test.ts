// The Publisher against the embedded API server (which enforces the 1 MiB data limit on ConfigMaps and
// Secrets): certificate files that need more than one Secret are spread across several, all named in the
// projected certs volume; a file no Secret can hold is refused with nothing written; and publishing the same
// config again writes nothing.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { ClusterWriter } from '../../operator/kube/cluster-writer.js';
import { createLogger } from '../../operator/log/logger.js';
import { Publisher } from '../../operator/reconcile/publisher.js';
import { SECRET_DATA_BYTES } from '../../operator/publish/cert-sets.js';
import { clusterWithEnvoy, envoyDeployment, publishedObjects, NS } from './harness.js';
import type { TestCluster } from '../support/test-cluster.js';

describe('operator: publishing certificates of any total size', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  let publisher: Publisher;
  let writes = 0;

  before(async () => {
    cluster = await clusterWithEnvoy();
    const writer = new ClusterWriter(cluster.kubeConfig, { mayWrite: () => true, onWrite: () => writes++ });
    publisher = new Publisher(writer, NS, 'portico-envoy', createLogger({ level: 'silent' }));
  });
  after(() => cluster?.stop());

  it('spreads 2.4 MiB of certificate files across Secrets that each fit, and points the Deployment at all of them', async () => {
    const pem = (i: number) =>
      `-----BEGIN CERTIFICATE-----\n${String(i)
        .repeat(300 * 1024)
        .slice(0, 300 * 1024)}\n-----END CERTIFICATE-----\n`;
    const certFiles = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`ns_tls${i}.crt`, pem(i)]));
    const result = await publisher.publish({ hash: 'aaaaaaaaaa', json: '{"static_resources":{}}', certFiles });
    expect(result.refused).to.equal(undefined);
    expect(result.rolled).to.equal(true);
    const d = await envoyDeployment(cluster);
    expect(d.hash).to.equal('aaaaaaaaaa');
    expect(d.secrets.length).to.be.greaterThan(2);
    expect(d.secrets).to.deep.equal(
      d.secrets.map((_, i) => (i === 0 ? 'portico-certs-aaaaaaaaaa' : `portico-certs-aaaaaaaaaa-${i}`)),
    );
    const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
    const seen: Record<string, string> = {};
    for (const name of d.secrets) {
      const s = await core.readNamespacedSecret({ name, namespace: NS });
      const data = s.data ?? {};
      expect(
        Object.values(data).reduce((n, v) => n + Buffer.from(v, 'base64').length, 0),
        name,
      ).to.be.at.most(SECRET_DATA_BYTES);
      for (const [k, v] of Object.entries(data)) seen[k] = Buffer.from(v, 'base64').toString('utf8');
    }
    expect(seen).to.deep.equal(certFiles);

    const before = writes;
    const again = await publisher.publish({ hash: 'aaaaaaaaaa', json: '{"static_resources":{}}', certFiles });
    expect(again.objectsWritten || again.rolled).to.equal(false);
    expect(writes).to.equal(before);
  });

  it('refuses a certificate file larger than a Secret can hold, naming it, and writes nothing', async () => {
    const published = await publishedObjects(cluster);
    const deployment = await envoyDeployment(cluster);
    const before = writes;
    const huge = 'x'.repeat(SECRET_DATA_BYTES + 1);
    const result = await publisher.publish({
      hash: 'bbbbbbbbbb',
      json: '{}',
      certFiles: { 'team_big.crt': huge, 'team_big.key': 'k' },
    });
    expect(result.refused?.reason).to.equal('TooLarge');
    expect(result.refused?.message)
      .to.contain('team_big.crt')
      .and.contain(String(SECRET_DATA_BYTES + 1));
    expect(result.refused?.oversized).to.deep.equal([{ file: 'team_big.crt', bytes: SECRET_DATA_BYTES + 1 }]);
    expect(writes).to.equal(before);
    expect(await publishedObjects(cluster)).to.deep.equal(published);
    expect(await envoyDeployment(cluster)).to.deep.equal(deployment);
  });
});

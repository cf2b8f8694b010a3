// TLS on the real world: the example TLSContext serves HTTPS through real Envoy with the right certificate for its
// SNI names, redirectCleartext answers 301, and a second TLSContext on another name gets its own certificate.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { gatewayRequest } from '../support/gateway-client.js';
import { tlsSecretYaml } from '../support/objects.js';
import { selfSignedCert, type CertPair } from '../support/pki.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { realWorld, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'tls-world';

describe('real world: TLS through real Envoy', function () {
  this.timeout(180_000);
  let world: World;
  let https: string;
  let http: string;
  let other: CertPair;
  const exampleCert = (): string => {
    const docs = yaml.loadAll(readFileSync(join(REPO_ROOT, 'examples', 'tls.yaml'), 'utf8')) as any[];
    const secret = docs.find((d) => d?.kind === 'Secret');
    return Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8');
  };

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    https = world.gatewayUrl('https');
    http = world.gatewayUrl('http');
    other = selfSignedCert('other.test', ['other.test']);
    const apply = async (stdin: string, ...args: string[]) => {
      const r = await world.kubectl(['apply', ...args, '-f', '-'], { stdin });
      expect(r.code, r.stderr).to.equal(0);
    };
    await apply(namespaceYaml(NS));
    await apply(echoBackendYaml('tlsecho', NS));
    await apply(mappingYaml('secure-echo', NS, { prefix: '/secure/', service: 'tlsecho' }));
    await apply(readFileSync(join(REPO_ROOT, 'examples', 'tls.yaml'), 'utf8'), '-n', NS);
    await apply(tlsSecretYaml('other-tls', other), '-n', NS);
    await apply(`apiVersion: portico.dev/v1alpha1
kind: TLSContext
metadata: {name: other-tls, namespace: ${NS}}
spec: {hosts: [other.test], secret: other-tls}
`);
    await world.waitForRollout(NS, 'tlsecho');
    await world.settled();
  });

  it('the operator loaded its listeners and certificates into its own Envoy before publishing them', async function () {
    // The image ships the pinned Envoy (Dockerfile); the world puts it on the operator container's PATH.
    const pods = await world.rest.must<{ items: { metadata: { name: string } }[] }>(
      'GET',
      '/api/v1/namespaces/portico-system/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Doperator',
    );
    const log = pods.items
      .map((p) => world.kubelet.pod('portico-system', p.metadata.name)?.logPath('operator'))
      .filter((f): f is string => !!f)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const lines = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.message === 'operator started')?.envoyCheck).to.deep.equal({
      envoy: world.bin.envoy,
      mode: 'listeners',
    });
    // The last change before() made was a TLSContext, so the config Envoy serves now is one the check loaded.
    const d = await world.rest.must<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>(
      'GET',
      '/apis/apps/v1/namespaces/portico-system/deployments/portico-envoy',
    );
    const checked = lines.filter((l) => l.message === 'Envoy accepted the generated config').map((l) => l.hash);
    expect(checked).to.include(d.spec.template.metadata.annotations['portico.dev/config-hash']);
    expect(lines.some((l) => /Envoy refused/.test(l.message))).to.equal(false);
  });

  it('serves example.local over HTTPS with the example certificate', async function () {
    const res = await gatewayRequest(https, { host: 'example.local', path: '/secure/hello', ca: exampleCert() });
    expect(res.status).to.equal(200);
    expect(res.peerCertificate?.subject.CN).to.equal('example.local');
    expect(res.json.path).to.equal('/hello');
    expect(res.json.headers['x-forwarded-proto']).to.equal('https');
  });

  it('serves a name under the wildcard with the same certificate', async function () {
    const r = await gatewayRequest(https, { host: 'shop.example.local', path: '/secure/x', ca: exampleCert() });
    expect(r.status).to.equal(200);
    expect(r.peerCertificate?.subject.CN).to.equal('example.local');
  });

  it('redirects cleartext requests for its hosts with a 301 to https', async function () {
    const r = await gatewayRequest(http, { host: 'example.local', path: '/secure/x?q=1' });
    expect(r.status).to.equal(301);
    expect(r.headers.location).to.equal('https://example.local/secure/x?q=1');
  });

  it('gives a second TLSContext its own certificate for its own name', async function () {
    const res = await gatewayRequest(https, { host: 'other.test', path: '/secure/y', ca: other.cert });
    expect(res.status).to.equal(200);
    expect(res.peerCertificate?.subject.CN).to.equal('other.test');
    // No redirect for it: it did not ask for one.
    expect((await gatewayRequest(http, { host: 'other.test', path: '/secure/y' })).status).to.equal(200);
  });

  it('shows both TLSContexts Programmed with their NOTAFTER in kubectl get tlscontexts', async function () {
    const r = await world.kubectl(['get', 'tlscontexts', '-n', NS]);
    expect(r.code, r.stderr).to.equal(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).to.match(/NOTAFTER/);
    expect(rows.slice(1)).to.have.length(2);
    for (const row of rows.slice(1)) expect(row).to.match(/\bTrue\b/);
  });
});

// Tenant isolation through the real interfaces (issue 19 §1, 12 §6): the embedded API server with kubectl, the
// operator with its default policy, and what the published config answers (the route model, as the dev gateway
// serves it). Namespace shop tries to take namespace default's host three ways and is refused each time, naming
// the owner; its host-less Mapping still serves hosts nobody owns. A TLSContext whose certificate misses one of
// its hosts serves the others and gets a Warning Event. `portico run` refuses a bad --host-ownership value.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { tlsSecret } from '../support/objects.js';
import { selfSignedCert } from '../support/pki.js';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import { routeRequest } from '../../operator/devgateway/route-model.js';
import {
  REPO,
  clusterWithEnvoy,
  conditionOf,
  envoyConfig,
  envoyDeployment,
  eventually,
  kubectlOk,
  runOperator,
} from './harness.js';

const yamlDocs = (...docs: object[]) => docs.map((d) => yaml.dump(d)).join('---\n');
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const svc = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace },
  spec: { ports: [{ port: 80 }] },
});
const mapping = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata: { name, namespace },
  spec: { service: 'web', ...spec },
});

describe('operator: host ownership between namespaces (embedded API server)', function () {
  this.timeout(90_000);
  let cluster: TestCluster;
  let op: RunningOperator;

  const object = (plural: string, namespace: string, name: string) =>
    cluster.kubeConfig.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: 'portico.dev',
      version: 'v1alpha1',
      namespace,
      plural,
      name,
    }) as Promise<any>;
  const waitFor = (plural: string, namespace: string, name: string, type: string, status: string, reason?: string) =>
    eventually(
      `${namespace}/${name} ${type}=${status}`,
      async () => {
        const o = await object(plural, namespace, name);
        const c = conditionOf(o, type);
        return c &&
          c.status === status &&
          (!reason || c.reason === reason) &&
          o.status.observedGeneration === o.metadata.generation
          ? o
          : undefined;
      },
      10_000,
      50,
    );
  const published = async () => envoyConfig(cluster, (await envoyDeployment(cluster)).hash!);

  before(async () => {
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster);
    await kubectlOk(cluster, ['apply', '-f', '-'], yamlDocs(ns('shop'), ns('aaa'), svc('default'), svc('shop')));
    await kubectlOk(
      cluster,
      ['apply', '-f', '-'],
      yamlDocs(mapping('default', 'api', { prefix: '/', host: 'api.victim.test' })),
    );
    await waitFor('mappings', 'default', 'api', 'Programmed', 'True');
    // creationTimestamp has one-second resolution: make the attacker's objects visibly newer.
    await new Promise((r) => setTimeout(r, 1100));
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it("refuses another namespace's Mappings for an owned host (Conflicted, naming the owner); its host-less one serves only unowned hosts", async () => {
    await kubectlOk(
      cluster,
      ['apply', '-f', '-'],
      yamlDocs(
        mapping('shop', 'steal-split', { prefix: '/', host: 'api.victim.test' }),
        mapping('shop', 'steal-longer', { prefix: '/login/', host: 'api.victim.test' }),
        mapping('shop', 'sso', { prefix: '/login/sso/' }),
      ),
    );
    for (const name of ['steal-split', 'steal-longer']) {
      const o = await waitFor('mappings', 'shop', name, 'Accepted', 'False', 'Conflicted');
      expect(conditionOf(o, 'Accepted')!.message).to.match(
        /^spec\.host: host api\.victim\.test belongs to namespace default/,
      );
    }
    await waitFor('mappings', 'shop', 'sso', 'Programmed', 'True');
    const config = await published();
    // Every request for the victim's host reaches the victim (the issue saw 22 of 40 go to the attacker).
    for (let i = 0; i < 40; i++) {
      for (const path of ['/', '/login/x', '/login/sso/callback']) {
        const d = routeRequest(config, { port: 8080, host: 'api.victim.test', path, random: i * 24_999 });
        expect(d, `${path} #${i}`).to.include({ kind: 'forward', route: 'default/api' });
      }
    }
    expect(routeRequest(config, { port: 8080, host: 'unowned.test', path: '/login/sso/callback' })).to.include({
      kind: 'forward',
      route: 'shop/sso',
    });
  });

  it('refuses a TLSContext of another namespace for an owned host even with a certificate that covers it', async () => {
    const cert = selfSignedCert('api.victim.test', ['api.victim.test'], undefined, 30);
    await kubectlOk(
      cluster,
      ['apply', '-f', '-'],
      yamlDocs(tlsSecret('aaa', 'cert', cert.cert, cert.key), {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 'steal-tls', namespace: 'aaa' },
        spec: { hosts: ['api.victim.test'], secret: 'cert' },
      }),
    );
    const o = await waitFor('tlscontexts', 'aaa', 'steal-tls', 'Accepted', 'False', 'Conflicted');
    expect(conditionOf(o, 'Accepted')!.message).to.include('host api.victim.test belongs to namespace default');
    expect(JSON.stringify(await published())).to.not.include('aaa/steal-tls');
  });

  it('serves what it can of a TLSContext whose certificate misses a host, says which in the status, and records a Warning Event', async () => {
    const cert = selfSignedCert('api.victim.test', ['api.victim.test'], undefined, 30);
    await kubectlOk(
      cluster,
      ['apply', '-f', '-'],
      yamlDocs(tlsSecret('default', 'victim-cert', cert.cert, cert.key), {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 'victim-tls', namespace: 'default' },
        spec: { hosts: ['api.victim.test', 'www.victim.test'], secret: 'victim-cert' },
      }),
    );
    const o = await waitFor('tlscontexts', 'default', 'victim-tls', 'Programmed', 'True');
    expect(conditionOf(o, 'Accepted')!.message).to.match(
      /^Serving api\.victim\.test; refused 1 of 2 hosts: spec\.hosts\[1\]: host www\.victim\.test is not covered by the certificate/,
    );
    const event = await eventually(
      'a Warning Event for victim-tls',
      async () => {
        const list = JSON.parse(await kubectlOk(cluster, ['get', 'events', '-n', 'default', '-o', 'json']))
          .items as any[];
        return list.find((e) => e.involvedObject.name === 'victim-tls' && e.reason === 'HostNotInCertificate');
      },
      10_000,
      100,
    );
    expect(event.type).to.equal('Warning');
    expect(event.message).to.include('spec.hosts[1]: host www.victim.test is not covered');
    const https = (await published()).static_resources.listeners.find((l: { name: string }) => l.name === 'https');
    expect(
      https.filter_chains.map(
        (c: { filter_chain_match?: { server_names: string[] } }) => c.filter_chain_match?.server_names,
      ),
    ).to.deep.equal([['api.victim.test']]);
  });
});

describe('portico run: policy flags', function () {
  this.timeout(30_000);
  it('rejects a bad --host-ownership value with a message naming the flag, and --help lists the policy flags', async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'operator', 'cli.ts'), 'run', ...args], {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const bad = await cli(['--host-ownership', 'shared', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(bad.code).to.not.equal(0);
    expect(bad.out).to.include('--host-ownership: expected namespace or open, got "shared"');
    const help = await cli(['--help']);
    expect(help.code).to.equal(0);
    expect(help.out)
      .to.include('--host-ownership MODE')
      .and.include('--external-name-services')
      .and.include('--cluster-domain');
  });
});

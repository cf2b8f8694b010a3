// kubectl's typed `create` commands send application/vnd.kubernetes.protobuf (and never fall back to JSON on
// a 415): the embedded server decodes the envelope and the few types those commands create.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { decodeProtobufObject, ProtobufDecodeError } from '../../operator/apiserver/encoding/protobuf-decoding.js';
import { selfSignedCert } from '../support/pki.js';
import { request } from '../support/raw-http.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

/** Encodes protobuf length-delimited fields by hand, to build envelopes the decoder must refuse. */
const ld = (num: number, payload: Buffer): Buffer =>
  Buffer.concat([Buffer.from([(num << 3) | 2, payload.length]), payload]);
const str = (num: number, s: string) => ld(num, Buffer.from(s));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([str(1, apiVersion), str(2, kind)])), ld(2, raw)]);

describe('apiserver: kubectl create with protobuf bodies', function () {
  this.timeout(30_000);
  let c: TestCluster;
  let core: k8s.CoreV1Api;
  let dir: string;

  before(async () => {
    c = await startTestCluster({ crds: true });
    core = c.kubeConfig.makeApiClient(k8s.CoreV1Api);
    dir = mkdtempSync(join(tmpdir(), 'portico-pb-'));
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ok = async (args: string[]) => {
    const r = await c.kubectl(args);
    expect(r.code, r.stderr).to.equal(0);
    return r.stdout.trim();
  };

  it('kubectl create namespace, configmap, secret generic, serviceaccount', async () => {
    expect(await ok(['create', 'namespace', 'pb-ns'])).to.equal('namespace/pb-ns created');
    const ns = await core.readNamespace({ name: 'pb-ns' });
    expect(ns.status?.phase).to.equal('Active');
    expect(ns.metadata?.managedFields?.map((e) => e.manager)).to.deep.equal(['kubectl-create']);
    await ok(['create', 'configmap', 'pb-cm', '-n', 'pb-ns', '--from-literal=a=1', '--from-literal=b=two words']);
    expect((await core.readNamespacedConfigMap({ name: 'pb-cm', namespace: 'pb-ns' })).data).to.deep.equal({
      a: '1',
      b: 'two words',
    });
    await ok(['create', 'secret', 'generic', 'pb-sec', '--from-literal=token=s3cr3t', '--type=example.com/token']);
    const sec = await core.readNamespacedSecret({ name: 'pb-sec', namespace: 'default' });
    expect(sec.type).to.equal('example.com/token');
    expect(Buffer.from(sec.data!.token, 'base64').toString()).to.equal('s3cr3t');
    await ok(['create', 'serviceaccount', 'pb-sa']);
    expect((await core.readNamespacedServiceAccount({ name: 'pb-sa', namespace: 'default' })).metadata?.uid).to.be.a(
      'string',
    );
  });

  it('kubectl create secret tls with a real key pair', async () => {
    const crt = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    const pair = selfSignedCert('pb.example', ['pb.example'], undefined, 1);
    writeFileSync(crt, pair.cert);
    writeFileSync(key, pair.key);
    await ok(['create', 'secret', 'tls', 'pb-tls', `--cert=${crt}`, `--key=${key}`]);
    const sec = await core.readNamespacedSecret({ name: 'pb-tls', namespace: 'default' });
    expect(sec.type).to.equal('kubernetes.io/tls');
    expect(Buffer.from(sec.data!['tls.crt'], 'base64').toString()).to.equal(readFileSync(crt, 'utf8'));
    expect(Buffer.from(sec.data!['tls.key'], 'base64').toString()).to.equal(readFileSync(key, 'utf8'));
  });

  it('kubectl create service clusterip and deployment', async () => {
    await ok(['create', 'service', 'clusterip', 'pb-svc', '--tcp=80:8080', '--tcp=443:https']);
    const svc = await core.readNamespacedService({ name: 'pb-svc', namespace: 'default' });
    expect(svc.spec?.ports?.map((p) => [p.name, p.port, p.targetPort, p.protocol])).to.deep.equal([
      ['80-8080', 80, 8080, 'TCP'],
      ['443-https', 443, 'https', 'TCP'],
    ]);
    expect(svc.spec?.selector).to.deep.equal({ app: 'pb-svc' });
    await ok(['create', 'deployment', 'pb-dep', '--image=nginx:1.27', '--replicas=0', '--port=8080']);
    const dep = await c.kubeConfig
      .makeApiClient(k8s.AppsV1Api)
      .readNamespacedDeployment({ name: 'pb-dep', namespace: 'default' });
    expect(dep.spec?.replicas).to.equal(0);
    expect(dep.spec?.template.spec?.containers.map((x) => [x.name, x.image, x.ports?.[0].containerPort])).to.deep.equal(
      [['nginx', 'nginx:1.27', 8080]],
    );
  });

  it('refuses what it cannot decode with a 415 that says so, and protobuf for custom resources as the real server', async () => {
    const role = await c.kubectl(['create', 'role', 'pb-role', '--verb=get', '--resource=configmaps']);
    expect(role.code).to.equal(1);
    expect(role.stderr).to.contain(
      'cannot decode this application/vnd.kubernetes.protobuf body (no protobuf decoding for rbac.authorization.k8s.io/v1, Kind=Role',
    );
    const unknownField = envelope('v1', 'ConfigMap', Buffer.concat([ld(1, str(1, 'x')), str(9, 'surprise')]));
    expect(() => decodeProtobufObject(unknownField)).to.throw('cannot decode field 9 of ConfigMap');
    // A fixed32 field (wire type 5) cut short inside a map entry: refused, not read past its end.
    const shortFixed = envelope('v1', 'ConfigMap', ld(3, Buffer.from([0xed, 0x5e, 0x13])));
    expect(() => decodeProtobufObject(shortFixed)).to.throw(
      ProtobufDecodeError,
      'truncated field 1517 in ConfigMap.binaryData',
    );
    const raw = await fetch(`${c.url}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
      body: unknownField,
    });
    expect(raw.status).to.equal(415);
    const cr = await request(c.url, 'POST', '/apis/portico.dev/v1alpha1/namespaces/default/mappings', 'k8s\0', {
      'Content-Type': 'application/vnd.kubernetes.protobuf',
    });
    expect(cr.status).to.equal(415);
    expect(cr.body.message).to.equal(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  });
});

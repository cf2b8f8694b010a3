// Issue 19 item 5: what `portico dev`'s API server lets through. With a token it serves HTTPS (kubectl sends a
// kubeconfig's token only over https) and wants `Authorization: Bearer <token>` on everything but /version and
// the health checks; whatever the token, it refuses non-loopback Host headers (DNS rebinding), any request with
// an Origin header (a web page), and a write whose body has no JSON/YAML/protobuf Content-Type.
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { selfSignedCertificate, startApiServer, type ApiServer } from '../../operator/apiserver/index.js';

interface Answer {
  status: number;
  body: any;
}

function call(
  server: ApiServer,
  ca: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        ca,
        servername: 'localhost',
        headers: {
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

describe('apiserver: access (token, TLS, loopback Host, no Origin, Content-Type)', function () {
  this.timeout(30_000);
  const token = 'a-random-token-for-this-test-0123456789';
  const tls = selfSignedCertificate();
  let server: ApiServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    server = await startApiServer({ token, tls });
    dir = mkdtempSync(join(tmpdir(), 'portico-access-'));
    kubeconfig = join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a 0600 kubeconfig that trusts the server certificate and holds the token; kubectl and client-node work with it', async () => {
    expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(kubeconfig).mode & 0o777).to.equal(0o600);
    const text = readFileSync(kubeconfig, 'utf8');
    expect(text)
      .to.contain(`token: ${token}`)
      .and.contain('certificate-authority-data:')
      .and.not.contain('insecure-skip-tls-verify');
    const cache = mkdtempSync(join(dir, 'cache-'));
    const r = await kubectl(['get', 'namespaces', '-o', 'name'], {
      ...process.env,
      KUBECONFIG: kubeconfig,
      KUBECACHEDIR: cache,
      HOME: cache,
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('namespace/default');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    const cms = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: 'default' });
    expect(cms.items).to.deep.equal([]);
  });

  it('answers 401 without the token or with another one, and serves /version and /healthz to anyone', async () => {
    expect((await call(server, tls.cert, 'GET', '/api/v1/secrets')).status).to.equal(401);
    const wrong = await call(server, tls.cert, 'GET', '/api/v1/secrets', { Authorization: 'Bearer not-it' });
    expect(wrong.body).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(
      (await call(server, tls.cert, 'GET', '/api/v1/secrets', { Authorization: `Bearer ${token}` })).status,
    ).to.equal(200);
    expect((await call(server, tls.cert, 'GET', '/version')).body.minor).to.equal('32');
    expect((await call(server, tls.cert, 'GET', '/healthz')).status).to.equal(200);
  });

  it('refuses a Host that is not loopback (DNS rebinding) and any request with an Origin header', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const rebound = await call(server, tls.cert, 'GET', '/api/v1/namespaces', {
      ...auth,
      Host: 'attacker.example:8001',
    });
    expect(rebound.status).to.equal(403);
    expect(rebound.body.message).to.contain('"attacker.example:8001" is not a loopback address');
    for (const host of ['localhost:1', '127.0.0.1', '[::1]:8001'])
      expect((await call(server, tls.cert, 'GET', '/api/v1/namespaces', { ...auth, Host: host })).status).to.equal(200);
    const page = await call(server, tls.cert, 'GET', '/api/v1/namespaces', {
      ...auth,
      Origin: 'http://127.0.0.1:8080',
    });
    expect(page.status).to.equal(403);
  });

  it('refuses writes whose body is a form or text (415), and creates nothing; no Content-Type reads JSON, as kube-apiserver does', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const body = JSON.stringify({ metadata: { name: 'sneaky' } });
    for (const headers of [
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Content-Type': 'multipart/form-data; boundary=x' },
    ]) {
      const r = await call(
        server,
        tls.cert,
        'POST',
        '/api/v1/namespaces/default/configmaps',
        { ...auth, ...headers },
        body,
      );
      expect(r.status, JSON.stringify(r.body)).to.equal(415);
      expect(r.body.reason).to.equal('UnsupportedMediaType');
    }
    expect((await call(server, tls.cert, 'GET', '/api/v1/namespaces/default/configmaps/sneaky', auth)).status).to.equal(
      404,
    );
    const del = await call(
      server,
      tls.cert,
      'DELETE',
      '/api/v1/namespaces/default/configmaps/x',
      auth,
      '{"propagationPolicy":"Background"}',
    );
    expect(del.status, JSON.stringify(del.body)).to.equal(415);
    const ok = await call(
      server,
      tls.cert,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { ...auth, 'Content-Type': 'application/json' },
      body,
    );
    expect(ok.status).to.equal(201);
    // kubectl create --raw sends no Content-Type (test/real/apiserver-parity.test.ts shows kube-apiserver taking it).
    const bare = await call(
      server,
      tls.cert,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      auth,
      JSON.stringify({ metadata: { name: 'bare' } }),
    );
    expect(bare.status, JSON.stringify(bare.body)).to.equal(201);
  });
});

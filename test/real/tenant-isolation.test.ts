// Tenant isolation on the real world (issue 19): a team owning only its namespace cannot take another team's
// traffic through real Envoy, nor reach in-cluster targets through ExternalName; portico-system enforces Pod
// Security "restricted" on the real API server.
import { expect } from 'chai';
import { gatewayRequest } from '../support/gateway-client.js';
import { tlsSecretYaml } from '../support/objects.js';
import { selfSignedCert } from '../support/pki.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const VICTIM = 'victim';
const ATTACKER = 'attacker';
const HOST = 'api.victim.test';

describe('real world: one team cannot take another team’s traffic', function () {
  this.timeout(240_000);
  let world: World;
  let http: string;
  let https: string;
  const victimCert = selfSignedCert(HOST, [HOST]);
  const attackerCert = selfSignedCert(HOST, [HOST]);

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const condition = async (kind: string, ns: string, name: string, type: string) => {
    const r = await world.kubectl(['-n', ns, 'get', kind, name, '-o', 'json']);
    return JSON.parse(r.stdout).status?.conditions?.find((c: { type: string }) => c.type === type);
  };
  const answeredBy = async (path: string, n = 40) => {
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const r = await gatewayRequest(http, { host: HOST, path });
      const who = r.json?.os?.hostname?.split('-')[0] ?? `HTTP ${r.status}`;
      seen.set(who, (seen.get(who) ?? 0) + 1);
    }
    return Object.fromEntries(seen);
  };

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    http = world.gatewayUrl('http');
    https = world.gatewayUrl('https');
    await apply(namespaceYaml(VICTIM));
    await apply(namespaceYaml(ATTACKER));
    await apply(echoBackendYaml('victimsvc', VICTIM));
    await apply(echoBackendYaml('thief', ATTACKER));
    await world.waitForRollout(VICTIM, 'victimsvc');
    await world.waitForRollout(ATTACKER, 'thief');
    // The victim claims its host first (with a Mapping and its certificate), the attacker then tries.
    await apply(mappingYaml('api', VICTIM, { host: HOST, prefix: '/', service: 'victimsvc' }));
    await apply(tlsSecretYaml('api-tls', victimCert).replace('metadata:\n', `metadata:\n  namespace: ${VICTIM}\n`));
    await apply(
      `apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: api, namespace: ${VICTIM}}\nspec: {hosts: [${HOST}], secret: api-tls}\n`,
    );
    await world.settled();
    await apply(mappingYaml('same', ATTACKER, { host: HOST, prefix: '/', service: 'thief' }));
    await apply(mappingYaml('longer', ATTACKER, { host: HOST, prefix: '/login/', service: 'thief' }));
    await apply(mappingYaml('hostless', ATTACKER, { prefix: '/login/sso/', service: 'thief' }));
    await apply(
      tlsSecretYaml('fake-tls', attackerCert).replace('metadata:\n', `metadata:\n  namespace: ${ATTACKER}\n`),
    );
    await apply(
      `apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: fake, namespace: ${ATTACKER}}\nspec: {hosts: [${HOST}], secret: fake-tls}\n`,
    );
    await apply(
      `apiVersion: v1\nkind: Service\nmetadata: {name: apiserver-alias, namespace: ${ATTACKER}}\nspec: {type: ExternalName, externalName: kubernetes.default.svc.cluster.local}\n`,
    );
    await apply(mappingYaml('to-apiserver', ATTACKER, { prefix: '/k8s/', service: 'apiserver-alias:443' }));
    await world.settled();
  });

  it('refuses the same host and prefix, a longer prefix and a host-less prefix on the owned host: every request reaches the victim', async () => {
    expect(await answeredBy('/x')).to.deep.equal({ victimsvc: 40 });
    expect(await answeredBy('/login/x')).to.deep.equal({ victimsvc: 40 });
    expect(await answeredBy('/login/sso/start')).to.deep.equal({ victimsvc: 40 });
    for (const name of ['same', 'longer']) {
      const c = await condition('mapping', ATTACKER, name, 'Accepted');
      expect(c, name).to.include({ status: 'False', reason: 'Conflicted' });
      expect(c.message, name).to.contain(VICTIM);
    }
  });

  it('serves the host-less Mapping on hosts nobody owns', async () => {
    const r = await gatewayRequest(http, { host: 'free.test', path: '/login/sso/start' });
    expect(r.json?.os?.hostname).to.match(/^thief-/);
  });

  it('keeps serving the victim’s certificate for its host, and refuses the attacker’s TLSContext', async () => {
    const r = await gatewayRequest(https, { host: HOST, path: '/', ca: victimCert.cert });
    expect(r.status).to.equal(200);
    expect(r.peerCertificate?.fingerprint256).to.equal(
      new (await import('node:crypto')).X509Certificate(victimCert.cert).fingerprint256,
    );
    expect(await condition('tlscontext', ATTACKER, 'fake', 'Accepted')).to.include({
      status: 'False',
      reason: 'Conflicted',
    });
  });

  it('never routes to the API server through an ExternalName Service', async () => {
    const c = await condition('mapping', ATTACKER, 'to-apiserver', 'ResolvedRefs');
    expect(c.status).to.equal('False');
    const r = await gatewayRequest(http, { host: 'free.test', path: '/k8s/api' });
    expect(r.status).to.equal(503);
  });

  it('enforces Pod Security restricted in portico-system on the real API server', async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: privileged, namespace: ${PORTICO_NAMESPACE}}\nspec:\n  containers: [{name: c, image: envoyproxy/envoy:v1.40.0, securityContext: {privileged: true}}]\n`;
    const r = await world.kubectl(['apply', '--dry-run=server', '-f', '-'], { stdin: pod });
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.match(/violates PodSecurity "restricted:latest"/);
  });
});

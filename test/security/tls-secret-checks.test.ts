// Every certificate check on a TLSContext's Secret, with real certificates from openssl (test-pki.ts): each bad
// kind is rejected with its own reason and a message that names the field and never quotes Secret data; good
// TLSContexts beside bad ones are still served and the output passes the Envoy proto validator.
import { expect } from 'chai';
import type { TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { CERTS_SECRET_BUDGET_BYTES } from '../../operator/compile/tls-contexts.js';
import { MAX_TLS_SECRET_BYTES, checkTlsSecret } from '../../operator/compile/tls-secret.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { pkiTimes, secretCases, secretPieces, testPki, tlsSecret } from './test-pki.js';

const tlsContext = (namespace: string, name: string, secret: string, hosts: string[]): TLSContext => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'TLSContext',
  metadata: { name, namespace, generation: 1 },
  spec: { secret, hosts },
});

describe('security: TLS Secret checks (real openssl certificates)', function () {
  this.timeout(60_000);
  const pki = testPki();
  const times = pkiTimes(pki);

  for (const c of secretCases(pki)) {
    it(`${c.reason === 'ok' ? 'accepts' : `rejects (${c.reason})`}: ${c.what}`, () => {
      const secret = tlsSecret('default', 'x', c.crt, c.key);
      const r = checkTlsSecret(secret, 'default/x', times[c.nowKey ?? 'valid']);
      if (c.reason === 'ok') {
        expect(r.ok, r.ok ? '' : r.message).to.equal(true);
        return;
      }
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.reason).to.equal(c.reason);
      expect(r.message).to.match(/^spec\.secret: /).and.include('default/x');
      for (const piece of secretPieces(secret)) expect(r.message).not.to.include(piece);
      expect(r.message.length).to.be.lessThan(400);
    });
  }

  it('refuses a 5 MB certificate without decoding it (fast)', () => {
    const big = secretCases(pki).find((c) => c.reason === 'TooLarge')!;
    const secret = tlsSecret('default', 'x', big.crt, big.key);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) checkTlsSecret(secret, 'default/x', times.valid);
    expect(Number(process.hrtime.bigint() - start) / 1e6 / 100).to.be.lessThan(5);
  });

  it('the size bound fits the published Secret: 12 Secrets at the cap fit the certs Secret budget, which is under 1 MiB', () => {
    expect(MAX_TLS_SECRET_BYTES * 12).to.be.at.most(CERTS_SECRET_BUDGET_BYTES);
    expect(CERTS_SECRET_BUDGET_BYTES).to.be.lessThan(1024 * 1024);
  });

  it('bad TLSContexts beside good ones: each rejected with its reason, the good ones served, output valid', () => {
    const cases = secretCases(pki).filter((c) => !c.nowKey);
    const secrets = cases.map((c, i) => tlsSecret('default', `s${i}`, c.crt, c.key));
    const contexts = cases.map((c, i) => tlsContext('default', `t${i}`, `s${i}`, [`h${i}.test`]));
    const { ir, statuses } = compileSnapshot({ mappings: [], tlsContexts: contexts, services: [], secrets, now: times.valid });
    const envoy = renderEnvoyConfig(ir);
    expect(validateEnvoyBootstrap(envoy.bootstrap)).to.deep.equal([]);
    const https = (envoy.bootstrap as any).static_resources.listeners.find((l: any) => l.name === 'https');
    const served = https.filter_chains.map((fc: any) => fc.name);
    cases.forEach((c, i) => {
      const s = statuses.find((x) => x.ref.name === `t${i}`)!;
      if (c.reason === 'ok') {
        expect(served, c.what).to.include(`default/t${i}`);
        expect(s.inConfig).to.equal(true);
      } else {
        expect(served, c.what).not.to.include(`default/t${i}`);
        expect(s.conditions.find((x) => x.type === 'ResolvedRefs'), c.what).to.include({ status: 'False', reason: c.reason });
      }
    });
    const statusText = JSON.stringify(statuses);
    for (const secret of secrets) for (const piece of secretPieces(secret)) expect(statusText).not.to.include(piece);
  });

  it('stops publishing certificates at the certs Secret budget (TooLarge), in namespace/name order', () => {
    const p = pki.pem;
    const padding = `${'# padding outside the PEM blocks\n'.repeat(Math.floor((MAX_TLS_SECRET_BYTES - 4096) / 33))}`;
    const n = Math.floor(CERTS_SECRET_BUDGET_BYTES / MAX_TLS_SECRET_BYTES) + 2;
    const secrets = Array.from({ length: n }, (_, i) => tlsSecret('default', `big${String(i).padStart(2, '0')}`, padding + p['leaf.crt'] + p['inter.crt'], p['leaf.key']));
    const contexts = secrets.map((s, i) => tlsContext('default', `big${String(i).padStart(2, '0')}`, s.metadata.name, [`big${i}.test`]));
    const { ir, statuses } = compileSnapshot({ mappings: [], tlsContexts: contexts, services: [], secrets, now: times.valid });
    const total = Object.values(ir.tls.files).reduce((sum, f) => sum + Buffer.byteLength(f), 0);
    expect(total).to.be.at.most(CERTS_SECRET_BUDGET_BYTES);
    const tooLarge = statuses.filter((s) => s.conditions.some((c) => c.reason === 'TooLarge'));
    expect(tooLarge.length).to.be.greaterThan(0);
    expect(ir.tls.contexts.length + tooLarge.length).to.equal(n);
    // The served ones are the first in namespace/name order.
    expect(ir.tls.contexts.map((c) => c.name)).to.deep.equal(contexts.slice(0, ir.tls.contexts.length).map((c) => `default/${c.metadata.name}`));
    expect(tooLarge[0].conditions[1].message).to.match(/^spec\.secret: Secret default\/big\d+: publishing it would take the certificates Secret past 768 KiB/);
  });
});

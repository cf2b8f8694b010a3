// Every certificate check on a TLSContext's Secret, with real certificates from openssl (test/support/pki.ts): each bad
// kind is rejected with its own reason and a message that names the field and never quotes Secret data; good
// TLSContexts beside bad ones are still served and the output passes the Envoy proto validator.
import { expect } from 'chai';
import { compileSnapshot } from '../../operator/compile/index.js';
import { MAX_TLS_SECRET_BYTES, checkTlsSecret } from '../../operator/compile/tls-secret.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { SECRET_DATA_BYTES } from '../../operator/publish/cert-sets.js';
import { planPublication } from '../../operator/publish/publication.js';
import { tlsContext, tlsSecret } from '../support/objects.js';
import { pkiTimes, secretCases, secretPieces, testPki } from '../support/pki.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

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
      expect(r.message)
        .to.match(/^spec\.secret: /)
        .and.include('default/x');
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

  it('the size bound fits one published Secret, which is under 1 MiB: whatever is accepted can be published', () => {
    expect(MAX_TLS_SECRET_BYTES).to.be.at.most(SECRET_DATA_BYTES);
    expect(SECRET_DATA_BYTES).to.be.lessThan(1024 * 1024);
  });

  it('bad TLSContexts beside good ones: each rejected with its reason, the good ones served, output valid', () => {
    const cases = secretCases(pki).filter((c) => !c.nowKey);
    const secrets = cases.map((c, i) => tlsSecret('default', `s${i}`, c.crt, c.key));
    const contexts = cases.map((c, i) => tlsContext('default', `t${i}`, { secret: `s${i}`, hosts: [`h${i}.test`] }));
    const { ir, statuses } = compileSnapshot({
      mappings: [],
      tlsContexts: contexts,
      services: [],
      secrets,
      now: times.valid,
    });
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
        expect(
          s.conditions.find((x) => x.type === 'ResolvedRefs'),
          c.what,
        ).to.include({ status: 'False', reason: c.reason });
      }
    });
    const statusText = JSON.stringify(statuses);
    for (const secret of secrets) for (const piece of secretPieces(secret)) expect(statusText).not.to.include(piece);
  });

  it('serves every TLSContext at the size cap, however many: their certificates are published over several Secrets', () => {
    const p = pki.pem;
    const padding = `${'# padding outside the PEM blocks\n'.repeat(Math.floor((MAX_TLS_SECRET_BYTES - 4096) / 33))}`;
    const n = Math.floor(SECRET_DATA_BYTES / MAX_TLS_SECRET_BYTES) + 2;
    const secrets = Array.from({ length: n }, (_, i) =>
      tlsSecret('default', `big${String(i).padStart(2, '0')}`, padding + p['leaf.crt'] + p['inter.crt'], p['leaf.key']),
    );
    const contexts = secrets.map((s, i) =>
      tlsContext('default', `big${String(i).padStart(2, '0')}`, { secret: s.metadata.name, hosts: [`big${i}.test`] }),
    );
    const { ir, statuses } = compileSnapshot({
      mappings: [],
      tlsContexts: contexts,
      services: [],
      secrets,
      now: times.valid,
    });
    const total = Object.values(ir.tls.files).reduce((sum, f) => sum + Buffer.byteLength(f), 0);
    expect(total).to.be.greaterThan(SECRET_DATA_BYTES);
    expect(statuses.filter((s) => s.conditions.some((c) => c.reason === 'TooLarge'))).to.deep.equal([]);
    expect(tlsChains(ir).length).to.equal(n);
    const envoy = renderEnvoyConfig(ir);
    const plan = planPublication({ hash: envoy.hash, json: envoy.json, certFiles: envoy.certFiles });
    expect(plan.ok).to.equal(true);
    if (plan.ok) expect(plan.publication.secrets.length).to.be.greaterThan(1);
  });
});

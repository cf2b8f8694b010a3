// Safe TLS defaults, asserted on the generated Envoy config: TLS 1.2 minimum and 1.3 maximum set explicitly,
// TLS 1.2 cipher suites limited to ECDHE with AEAD ciphers, TLS 1.0/1.1 refused by the schema.
import { expect } from 'chai';
import type { TLSContext } from '../../operator/api/types.js';
import { validateTLSContextObject } from '../../operator/api/validators.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { tlsSecret } from '../support/objects.js';
import { pkiTimes, testPki } from '../support/pki.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

const MODERN_TLS12_SUITE = /^ECDHE-(ECDSA|RSA)-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/;

function tlsParamsOf(spec: Partial<TLSContext['spec']>): Array<Record<string, unknown>> {
  const pki = testPki();
  const ctx: TLSContext = {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'TLSContext',
    metadata: { name: 't', namespace: 'default' },
    spec: { secret: 'cert', ...spec },
  };
  const secret = tlsSecret('default', 'cert', pki.pem['leaf.crt'] + pki.pem['inter.crt'], pki.pem['leaf.key']);
  const { ir } = compileSnapshot({
    mappings: [],
    tlsContexts: [ctx],
    services: [],
    secrets: [secret],
    now: pkiTimes(pki).valid,
  });
  const envoy = renderEnvoyConfig(ir);
  expect(validateEnvoyBootstrap(envoy.bootstrap)).to.deep.equal([]);
  const https = (envoy.bootstrap as any).static_resources.listeners.find((l: any) => l.name === 'https');
  expect(https, 'an HTTPS listener').to.not.equal(undefined);
  return https.filter_chains.map((fc: any) => fc.transport_socket.typed_config.common_tls_context.tls_params);
}

describe('security: TLS defaults', function () {
  this.timeout(60_000);

  it('without settings: TLS 1.2 to 1.3, ECDHE+AEAD suites only, X25519/P-256', () => {
    const [params] = tlsParamsOf({ hosts: ['secure.test'] });
    expect(params.tls_minimum_protocol_version).to.equal('TLSv1_2');
    expect(params.tls_maximum_protocol_version).to.equal('TLSv1_3');
    const suites = (params.cipher_suites as string[]).flatMap((s) => s.replace(/^\[|\]$/g, '').split('|'));
    expect(suites.length).to.be.at.least(4);
    for (const s of suites) expect(s).to.match(MODERN_TLS12_SUITE);
    expect(params.ecdh_curves).to.deep.equal(['X25519', 'P-256']);
  });

  it('minTlsVersion v1.3 and maxTlsVersion v1.2 are honoured', () => {
    expect(tlsParamsOf({ minTlsVersion: 'v1.3' })[0].tls_minimum_protocol_version).to.equal('TLSv1_3');
    expect(tlsParamsOf({ maxTlsVersion: 'v1.2' })[0].tls_maximum_protocol_version).to.equal('TLSv1_2');
  });

  it('TLS 1.0 and 1.1 are refused by the CRD schema (the API server answers 422), naming the field', () => {
    for (const v of ['v1.0', 'v1.1']) {
      const errors = validateTLSContextObject({
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 't' },
        spec: { secret: 's', minTlsVersion: v, maxTlsVersion: v },
      });
      // <nil>: kube-apiserver's "some validation rules were not checked" after an unsupported value.
      expect(errors.map((e) => e.field)).to.deep.equal(['spec.minTlsVersion', 'spec.maxTlsVersion', '<nil>']);
    }
  });

  it('a stored TLSContext with TLS 1.0 (from before this rule) is rejected on its own, not served weakly', () => {
    const pki = testPki();
    const old = {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name: 'old', namespace: 'default' },
      spec: { secret: 'cert', minTlsVersion: 'v1.0' },
    } as unknown as TLSContext;
    const secret = tlsSecret('default', 'cert', pki.pem['leaf.crt'], pki.pem['leaf.key']);
    const { ir, statuses } = compileSnapshot({
      mappings: [],
      tlsContexts: [old],
      services: [],
      secrets: [secret],
      now: pkiTimes(pki).valid,
    });
    expect(tlsChains(ir)).to.deep.equal([]);
    expect(statuses[0].conditions[0]).to.include({ status: 'False', reason: 'Invalid' });
    expect(statuses[0].conditions[0].message).to.match(/^spec\.minTlsVersion: /);
  });
});

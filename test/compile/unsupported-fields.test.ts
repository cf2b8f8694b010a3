// The guard that keeps a schema field from being silently ignored: every spec field of the Mapping CRD is either
// implemented by compile/ (IMPLEMENTED below) or listed in UNSUPPORTED_MAPPING_FIELDS, and a Mapping that sets a
// listed field is refused with UnsupportedField, naming it.
import { expect } from 'chai';
import { loadCrds } from '../../operator/api/crds.js';
import type { Mapping, Service } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { UNSUPPORTED_MAPPING_FIELDS, unsupportedFieldsOf } from '../../operator/compile/unsupported-fields.js';

/** The spec fields compile/ implements. Move a field here from UNSUPPORTED_MAPPING_FIELDS when it is implemented. */
const IMPLEMENTED = [
  'prefix',
  'service',
  'rewrite',
  'host',
  // issue 14 (test/envoy-real/routing-vocabulary.test.ts shows each through real Envoy)
  'prefixExact',
  'prefixRegex',
  'caseSensitive',
  'method',
  'headers',
  'regexHeaders',
  'queryParameters',
  'regexQueryParameters',
  'precedence',
  'weight',
  'shadow',
  'regexRewrite',
  'hostRewrite',
  'timeout',
  'idleTimeout',
  'connectTimeout',
  'retryPolicy',
  'addRequestHeaders',
  'addResponseHeaders',
  'removeRequestHeaders',
  'removeResponseHeaders',
  'cors',
  'allowUpgrade',
  'circuitBreakers',
  'grpc',
];

const m = (name: string, spec: Record<string, unknown>): Mapping =>
  ({
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name, namespace: 'default' },
    spec: { prefix: '/a/', service: 's', ...spec },
  }) as Mapping;
const svc: Service = { metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
const compile = (...mappings: Mapping[]) =>
  compileSnapshot({ mappings, services: [svc], tlsContexts: [], secrets: [], now: '2030-01-01T00:00:00Z' });
const statusOf = (r: ReturnType<typeof compile>, name: string) => r.statuses.find((s) => s.ref.name === name)!;

describe('compile/unsupported-fields', () => {
  const specFields = Object.keys(
    loadCrds().find((c) => c.spec.names.kind === 'Mapping')!.spec.versions[0].schema.openAPIV3Schema.properties!.spec
      .properties!,
  );

  it('every spec field of the CRD is either implemented or refused as unsupported, never ignored', () => {
    const unaccounted = specFields.filter(
      (f) => !IMPLEMENTED.includes(f) && !UNSUPPORTED_MAPPING_FIELDS.includes(f as never),
    );
    expect(unaccounted, 'add them to UNSUPPORTED_MAPPING_FIELDS until compile/ implements them').to.deep.equal([]);
    expect(
      UNSUPPORTED_MAPPING_FIELDS.filter((f) => IMPLEMENTED.includes(f)),
      'both implemented and unsupported',
    ).to.deep.equal([]);
    expect(
      UNSUPPORTED_MAPPING_FIELDS.filter((f) => !specFields.includes(f)),
      'not in the CRD',
    ).to.deep.equal([]);
  });

  it('names the fields set, in schema order, and says whether the Mapping may keep its match', () => {
    const listed = ['method', 'timeout'] as const;
    expect(unsupportedFieldsOf({ prefix: '/', service: 's' }, listed)).to.equal(undefined);
    expect(unsupportedFieldsOf({ prefix: '/', service: 's', timeout: '3s' }, listed)).to.deep.equal({
      fields: ['spec.timeout'],
      holdsMatch: true,
      message:
        'spec.timeout is not implemented by this version of Portico yet: the Mapping is refused rather than served without it',
    });
    const two = unsupportedFieldsOf({ prefix: '/', service: 's', timeout: '3s', method: 'GET' }, listed)!;
    expect(two.fields).to.deep.equal(['spec.method', 'spec.timeout']);
    expect(two.holdsMatch).to.equal(false);
    expect(two.message).to.equal(
      'spec.method, spec.timeout are not implemented by this version of Portico yet: the Mapping is refused rather than served without them; it claims no requests, since its match cannot be served as written',
    );
    // A field that is no longer listed is not reported.
    expect(unsupportedFieldsOf({ prefix: '/', service: 's', timeout: '3s' }, ['method'])).to.equal(undefined);
  });

  it('a Mapping with a policy field it cannot serve is refused with UnsupportedField and holds its prefix as 503', () => {
    const r = compile(m('slow', { loadBalancer: { policy: 'LeastRequest' } }));
    const s = statusOf(r, 'slow');
    expect(s.conditions.map((c) => [c.type, c.status, c.reason])).to.deep.equal([
      ['Accepted', 'False', 'UnsupportedField'],
      ['ResolvedRefs', 'Unknown', 'UnsupportedField'],
      ['Programmed', 'False', 'UnsupportedField'],
    ]);
    expect(s.conditions[0].message).to.match(
      /^spec\.loadBalancer is not implemented .*; until it is fixed, requests for its prefix \/a\/ get 503/,
    );
    expect(s.inConfig).to.equal(true);
  });

  it('no field that shapes a match is unsupported any more: a GET-only Mapping beside a catch-all is served', () => {
    const r = compile(m('get-only', { method: 'GET' }), m('catch-all', {}));
    expect(statusOf(r, 'get-only').conditions[0]).to.include({ status: 'True', reason: 'Accepted' });
    expect(statusOf(r, 'catch-all').conditions[0]).to.include({
      status: 'True',
      reason: 'Accepted',
      message: 'Accepted',
    });
  });

  it('schema errors come first: a bad value is Invalid, not UnsupportedField', () => {
    const s = statusOf(compile(m('bad', { timeout: '3 seconds' })), 'bad');
    expect(s.conditions[0]).to.include({ status: 'False', reason: 'Invalid' });
    expect(s.conditions[0].message).to.contain('spec.timeout: Invalid value: "3 seconds": must be a duration');
  });
});

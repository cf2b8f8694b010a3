// The ajv validators are compiled from crds/*.yaml at run time; these check the field paths and a few rules
// that matter (prefix pattern, host pattern, enum, defaults) through the real schema.
import { expect } from 'chai';
import {
  admitMapping,
  admitTLSContext,
  validateMappingObject,
  validateReferenceGrantObject,
  validateTLSContextObject,
} from '../../operator/api/validators.js';
import { loadCrds } from '../../operator/api/crds.js';

const mapping = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'm' }) => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata,
  spec,
});

describe('validators built from the CRDs', () => {
  it('loads every CRD with short names and category; Mapping and TLSContext have a status subresource', () => {
    const crds = loadCrds();
    expect(crds.map((c) => c.metadata.name)).to.deep.equal([
      'mappings.portico.dev',
      'porticoreferencegrants.portico.dev',
      'tlscontexts.portico.dev',
    ]);
    for (const c of crds) expect(c.spec.names.categories).to.deep.equal(['portico']);
    expect(crds[0].spec.versions[0].subresources?.status).to.deep.equal({});
    expect(crds[2].spec.versions[0].subresources?.status).to.deep.equal({});
    // A grant is pure policy: nothing to report, so no status (as Gateway API's ReferenceGrant).
    expect(crds[1].spec.versions[0].subresources).to.equal(undefined);
    expect(crds.map((c) => c.spec.names.shortNames)).to.deep.equal([['map'], ['prg'], ['tlsctx']]);
  });

  const grant = (spec: Record<string, unknown>) => ({
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'PorticoReferenceGrant',
    metadata: { name: 'g', namespace: 'b' },
    spec,
  });
  const grantCases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid, named', { from: [{ kind: 'Mapping', namespace: 'a' }], to: [{ kind: 'Service', name: 'svc' }] }, []],
    ['valid, every Secret', { from: [{ kind: 'TLSContext', namespace: 'a' }], to: [{ kind: 'Secret' }] }, []],
    ['empty lists', { from: [], to: [] }, ['spec.from', 'spec.to']],
    [
      'wildcard namespace',
      { from: [{ kind: 'Mapping', namespace: '*' }], to: [{ kind: 'Service' }] },
      ['spec.from[0].namespace'],
    ],
    // An unsupported or missing value is a blocking error: the rules do not run, and kube-apiserver says so at <nil>.
    [
      'unknown kinds',
      { from: [{ kind: 'Ingress', namespace: 'a' }], to: [{ kind: 'ConfigMap' }] },
      ['spec.from[0].kind', 'spec.to[0].kind', '<nil>'],
    ],
    [
      'missing namespace',
      { from: [{ kind: 'Mapping' }], to: [{ kind: 'Service' }] },
      ['spec.from[0].namespace', '<nil>'],
    ],
  ];
  for (const [what, spec, fields] of grantCases) {
    it(`PorticoReferenceGrant: ${what}`, () => {
      expect(validateReferenceGrantObject(grant(spec)).map((e) => e.field)).to.deep.equal(fields);
    });
  }

  const mappingCases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { prefix: '/a/', service: 's' }, []],
    ['valid wildcard host', { prefix: '/', service: 's', host: '*.example.com' }, []],
    ['missing prefix and service', {}, ['spec.prefix', 'spec.service', '<nil>']],
    ['relative prefix', { prefix: 'a/', service: 's' }, ['spec.prefix']],
    ['prefix with query', { prefix: '/a?b', service: 's' }, ['spec.prefix']],
    ['empty service', { prefix: '/', service: '' }, ['spec.service']],
    ['service not a string', { prefix: '/', service: 3 }, ['spec.service', '<nil>']],
    ['rewrite not starting with /', { prefix: '/', service: 's', rewrite: 'x' }, ['spec.rewrite']],
    ['host with uppercase', { prefix: '/', service: 's', host: 'A.com' }, ['spec.host']],
    ['host wildcard in the middle', { prefix: '/', service: 's', host: 'a.*.com' }, ['spec.host']],
    ['bare * host', { prefix: '/', service: 's', host: '*' }, ['spec.host']],
  ];
  for (const [what, spec, fields] of mappingCases) {
    it(`Mapping: ${what}`, () => {
      expect(validateMappingObject(mapping(spec)).map((e) => e.field)).to.deep.equal(fields);
    });
  }

  it('Mapping without metadata.name is an error on metadata.name', () => {
    expect(validateMappingObject(mapping({ prefix: '/', service: 's' }, {}))).to.deep.equal([
      { field: 'metadata.name', message: 'Required value' },
    ]);
  });

  it('TLSContext: array items are named with their index; an unsupported enum value stops the rules', () => {
    const items = validateTLSContextObject({
      metadata: { name: 't' },
      spec: { secret: 's', hosts: ['ok.com', 'not ok', 'ok.com'] },
    });
    expect(items).to.deep.equal([
      { field: 'spec.hosts[2]', message: 'Duplicate value: "ok.com"' },
      {
        field: 'spec.hosts[1]',
        message:
          'Invalid value: "not ok": must be a lower-case host name such as api.example.com, or a wildcard such as *.example.com',
      },
    ]);
    const blocked = validateTLSContextObject({
      metadata: { name: 't' },
      spec: { secret: 's', hosts: ['not ok'], minTlsVersion: '1.2' },
    });
    expect(blocked).to.deep.equal([
      { field: 'spec.minTlsVersion', message: 'Unsupported value: "1.2": supported values: "v1.2", "v1.3"' },
      {
        field: '<nil>',
        message:
          'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      },
    ]);
  });

  it("says what kube-apiserver 1.36 says, in words rather than regexes (the issue's prefix and upper-case host)", () => {
    expect(validateMappingObject(mapping({ prefix: 'user/', service: 's', host: 'API.example.com' }))).to.deep.equal([
      { field: 'spec.prefix', message: 'Invalid value: "user/": must start with "/"' },
      {
        field: 'spec.host',
        message:
          'Invalid value: "API.example.com": must be a lower-case host name such as api.example.com, or a wildcard such as *.example.com',
      },
    ]);
    expect(validateMappingObject(mapping({ prefix: '/a b?c', service: 's' }))).to.deep.equal([
      // A rule on spec about spec.prefix (fieldPath): kube-apiserver omits the value, as for any rule on an object.
      {
        field: 'spec.prefix',
        message:
          'Invalid value: must not contain "?" or "#": it is matched against the path, not the query or fragment (unless prefixRegex is true)',
      },
      {
        field: 'spec.prefix',
        message:
          'Invalid value: "/a b?c": must hold only printable ASCII characters, without spaces: percent-encode the others (e.g. %20)',
      },
    ]);
    expect(validateMappingObject(mapping({ prefix: `/${'a'.repeat(1024)}`, service: '' }))).to.deep.equal([
      { field: 'spec.prefix', message: 'Too long: may not be more than 1024 bytes' },
      { field: 'spec.service', message: 'Invalid value: "": spec.service in body should be at least 1 chars long' },
      {
        field: '<nil>',
        message:
          'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      },
    ]);
  });

  it('no message quotes a regular expression', () => {
    const bad = ['', 'x', '/a b', '/a?b', '/é', 'A.COM', '*', 'a.*.com', '-a.com', 'a_b', 'Bad_Secret', '/x#y'];
    const messages = [
      ...bad.flatMap((v) => validateMappingObject(mapping({ prefix: v, service: 's', host: v, rewrite: v }))),
      ...bad.flatMap((v) => validateTLSContextObject({ metadata: { name: 't' }, spec: { secret: v, hosts: [v] } })),
      ...bad.flatMap((v) =>
        validateReferenceGrantObject({
          metadata: { name: 'g' },
          spec: { from: [{ kind: 'Mapping', namespace: v }], to: [{ kind: 'Service', name: v }] },
        }),
      ),
    ].map((e) => e.message);
    expect(messages.length).to.be.greaterThan(30);
    for (const m of messages) expect(m).to.not.match(/should match|\^|\$'|\\x[0-9a-f]{2}|\[a-z0-9\]/);
  });

  it('admit fills the CRD defaults without touching the input', () => {
    const raw = mapping({ prefix: '/a/', service: 's' });
    const { errors, object } = admitMapping(raw);
    expect(errors).to.deep.equal([]);
    expect(object.spec.rewrite).to.equal('/');
    expect((raw.spec as { rewrite?: string }).rewrite).to.equal(undefined);
    expect(admitMapping(mapping({ prefix: '/a/', service: 's', rewrite: '' })).object.spec.rewrite).to.equal('');
    const tls = admitTLSContext({ metadata: { name: 't' }, spec: { secret: 's' } }).object.spec;
    expect(tls.minTlsVersion).to.equal('v1.2');
    expect(tls.alpnProtocols).to.deep.equal(['h2', 'http/1.1']);
  });
});

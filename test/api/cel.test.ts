// The CEL subset (operator/api/cel.ts) that evaluates crds/' x-kubernetes-validations for portico validate, the
// operator's validators and the embedded API server: cel-go's semantics on the constructs it has, a clear
// refusal of everything else, every rule in crds/ inside it, and the rules accept exactly what the regex
// patterns they replaced accepted.
import { expect } from 'chai';
import fc from 'fast-check';
import { CelEvalError, CelSubsetError, compileCel } from '../../operator/api/cel.js';
import { loadCrds } from '../../operator/api/crds.js';
import { compileValidationRules, listValidationRules } from '../../operator/api/validation-rules.js';
import { propertyRuns } from '../support/property-runs.js';

describe('CEL subset', () => {
  const cases: Array<[string, unknown, boolean | string]> = [
    ["self.startsWith('/')", '/a', true],
    ["self.startsWith('/')", 'a/', false],
    ["self.endsWith('/') && self.contains('b')", '/ab/', true],
    ["!self.contains('?') && !self.contains('#')", '/a#b', false],
    ["self == '' || self.startsWith('/')", '', true],
    ["self.matches('^[!-~]*$')", '/a b', false],
    ["self.matches('^a.c$')", 'a\rc', true], // RE2's "." takes \r; JavaScript's would not
    ["self.matches('^a.c$')", 'a\nc', false],
    ["self.matches(r'^a\\.c$')", 'abc', false],
    ["'\\x21\\u00e9' == '!é'", null, true],
    ['size(self) == 3 && self.size() == 3', 'héé', true], // code points, not UTF-16 units
    ['size(self) <= 2', ['a', 'b', 'c'], false],
    ['has(self.a) && self.a == 1 && !has(self.b)', { a: 1 }, true],
    ['self.b == 1 || true', {}, true], // the deciding side absorbs the error, as in cel-go
    ['true && self.b == 1', {}, 'no such key: b'],
    ['self == 1', 'a', false], // heterogeneous equality is false, not an error
    ["self < 'b'", 1, 'no such overload: _<_(int, string)'],
    ['(self > 2) == (3 >= self)', 3, true],
    ['self.a == self.b', { a: { x: 1, y: [1, 2] }, b: { y: [1, 2], x: 1 } }, true], // map equality ignores key order
    ['self.a == self.b', { a: [1, 2], b: [2, 1] }, false], // list equality does not
  ];
  for (const [rule, self, want] of cases) {
    it(`${rule} with self=${JSON.stringify(self)} → ${want}`, () => {
      const p = compileCel(rule);
      if (typeof want === 'boolean') expect(p.evaluate(self)).to.equal(want);
      else expect(() => p.evaluate(self)).to.throw(CelEvalError, want);
    });
  }

  const refused: Array<[string, string]> = [
    ['self + 1 > 2', 'the operator "+" at column 6'],
    ['self.lowerAscii() == self', 'the function lowerAscii() at column 6'],
    ['oldSelf == self', 'oldSelf (transition rules) at column 1'],
    ["self in ['a']", 'the operator "[" at column 9'],
    ['self.matches(self)', 'matches() with a pattern that is not a string literal'],
    ["self.matches('\\\\d+')", 'the escape \\d in the pattern'],
    ["self.matches('(?i)abc')", 'a flag group or lookaround "(?"'],
    ["self.matches('[[:alpha:]]')", 'a POSIX class "[:"'],
    ['1.5 > 1', 'floating-point number at column 1'],
    ['self.x ? 1 : 2', 'the operator "?"'],
    ['quantity(self)', 'the function quantity()'],
    ["self.startsWith('/'", 'the end of the rule where ")" belongs'],
  ];
  for (const [rule, what] of refused) {
    it(`refuses ${rule}: ${what}`, () => {
      expect(() => compileCel(rule)).to.throw(CelSubsetError, what);
      expect(() => compileCel(rule)).to.throw(/is outside the CEL subset Portico evaluates/);
    });
  }

  /** Where a schema node has the `pattern` keyword (a property named pattern, as in regexRewrite, is fine). */
  const schemaPatterns = (node: any, at = 'openAPIV3Schema'): string[] => {
    if (!node || typeof node !== 'object') return [];
    return [
      ...(typeof node.pattern === 'string' ? [at] : []),
      ...Object.entries(node.properties ?? {}).flatMap(([k, v]) => schemaPatterns(v, `${at}.properties[${k}]`)),
      ...schemaPatterns(node.items, `${at}.items`),
      ...(typeof node.additionalProperties === 'object'
        ? schemaPatterns(node.additionalProperties, `${at}.additionalProperties`)
        : []),
    ];
  };

  it('every rule in crds/ is inside the subset and has a human message; no raw pattern is left', () => {
    let count = 0;
    for (const crd of loadCrds()) {
      for (const v of crd.spec.versions) {
        const schema = v.schema.openAPIV3Schema;
        expect(
          schemaPatterns(schema),
          `${crd.metadata.name}: a pattern is reported as a regex; use a rule with a message`,
        ).to.deep.equal([]);
        for (const { path, rule } of listValidationRules(schema)) {
          count++;
          expect(() => compileCel(rule.rule), `${crd.metadata.name} ${path}`).to.not.throw();
          expect(rule.message, `${crd.metadata.name} ${path}: message`)
            .to.be.a('string')
            .and.match(/^must /);
          expect(rule.messageExpression, `${path}: messageExpression is outside the subset`).to.equal(undefined);
        }
        expect(() => compileValidationRules(schema)).to.not.throw();
      }
    }
    expect(count).to.be.greaterThan(10);
  });

  it('a rule outside the subset fails the schema compilation with its path', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            n: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self % 2 == 0', message: 'must be even' }] },
          },
        },
      },
    };
    expect(() => compileValidationRules(schema)).to.throw(
      CelSubsetError,
      'the operator "%" (at openAPIV3Schema.properties[spec].properties[n].x-kubernetes-validations[0])',
    );
  });

  // The patterns the rules replaced (crds/ before issue 12): the rules must accept exactly the same strings.
  const OLD = {
    prefix: /^\/[\x21\x22\x24-\x3e\x40-\x7e]*$/,
    rewrite: /^(\/[\x21\x22\x24-\x3e\x40-\x7e]*)?$/,
    host: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    subdomain: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    namespace: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    conditionType:
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
    reason: /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/,
  };
  const field = (kind: string, path: string[]) => {
    let s: any = loadCrds().find((c) => c.spec.names.kind === kind)!.spec.versions[0].schema.openAPIV3Schema;
    for (const p of path) s = p === '[]' ? s.items : s.properties[p];
    const programs = (s['x-kubernetes-validations'] as Array<{ rule: string }>).map((r) => compileCel(r.rule));
    return (v: string) => programs.every((p) => p.evaluate(v));
  };
  // A plain prefix (prefixRegex unset) is checked by its own rules and by the rules on spec about it.
  const prefixOwn = field('Mapping', ['spec', 'prefix']);
  const specRules = (
    loadCrds().find((c) => c.spec.names.kind === 'Mapping')!.spec.versions[0].schema.openAPIV3Schema.properties!.spec[
      'x-kubernetes-validations'
    ] as Array<{ rule: string }>
  ).map((r) => compileCel(r.rule));
  const plainPrefix = (v: string) => prefixOwn(v) && specRules.every((p) => p.evaluate({ prefix: v, service: 's' }));
  const FIELDS: Array<[string, RegExp, (v: string) => boolean]> = [
    ['Mapping spec.prefix', OLD.prefix, plainPrefix],
    ['Mapping spec.rewrite', OLD.rewrite, field('Mapping', ['spec', 'rewrite'])],
    ['Mapping spec.host', OLD.host, field('Mapping', ['spec', 'host'])],
    ['TLSContext spec.hosts[]', OLD.host, field('TLSContext', ['spec', 'hosts', '[]'])],
    ['TLSContext spec.secret', OLD.subdomain, field('TLSContext', ['spec', 'secret'])],
    [
      'PorticoReferenceGrant spec.from[].namespace',
      OLD.namespace,
      field('PorticoReferenceGrant', ['spec', 'from', '[]', 'namespace']),
    ],
    ['PorticoReferenceGrant spec.to[].name', OLD.host, field('PorticoReferenceGrant', ['spec', 'to', '[]', 'name'])],
    ['Mapping status.conditions[].type', OLD.conditionType, field('Mapping', ['status', 'conditions', '[]', 'type'])],
    [
      'TLSContext status.conditions[].reason',
      OLD.reason,
      field('TLSContext', ['status', 'conditions', '[]', 'reason']),
    ],
  ];
  const alphabet = fc.constantFrom(...'/ab-Z09.*_:,?# %é\t\x7f~"!$>@'.split(''));
  for (const [name, old, rules] of FIELDS) {
    it(`${name}: the rules accept exactly what the old pattern accepted`, () => {
      fc.assert(
        fc.property(
          fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')),
          (v) => rules(v) === old.test(v),
        ),
        { numRuns: propertyRuns(3000) },
      );
      for (const v of [
        '/',
        '/user/',
        'api.example.com',
        '*.example.com',
        'a',
        'Programmed',
        'example.com/Ready',
        'BackendNotFound',
      ])
        expect(rules(v), v).to.equal(old.test(v));
    });
  }
});

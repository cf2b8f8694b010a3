import { expect } from 'chai';
import { compileRules, readPgvRules, type RuleValue } from '../../operator/envoy-validate/pgv-rules.js';
import { validateMessage } from '../../operator/envoy-validate/index.js';

// Rules as protobufjs parses `(validate.rules)`; covers the kinds Envoy's protos use rarely or not at all.
const table: { rules: Record<string, any>; value: RuleValue; error?: string }[] = [
  { rules: { string: { max_len: 3 } }, value: 'abc' },
  { rules: { string: { max_len: 3 } }, value: 'abcd', error: 'at most 3 characters (max_len)' },
  { rules: { string: { min_len: 2 } }, value: '😀', error: 'at least 2 characters' }, // one rune, two UTF-16 units
  { rules: { string: { max_len: 1 } }, value: '😀' },
  { rules: { string: { min_bytes: 4 } }, value: 'é', error: 'at least 4 bytes long (min_bytes)' },
  { rules: { string: { max_bytes: 2 } }, value: 'é' },
  { rules: { string: { len: 2 } }, value: 'abc', error: 'length must be 2' },
  { rules: { string: { prefix: '/' } }, value: 'x', error: 'must start with "/"' },
  { rules: { string: { suffix: '.mmdb' } }, value: 'a.mmdb' },
  { rules: { string: { contains: 'x', not_contains: 'y' } }, value: 'xy', error: 'must not contain "y"' },
  { rules: { string: { not_in: ['a', 'b'] } }, value: 'a', error: 'must not be one of "a", "b"' },
  { rules: { string: { const: 'z' } }, value: 'y', error: 'must equal "z"' },
  { rules: { string: { hostname: true } }, value: 'svc.default.svc.cluster.local' },
  { rules: { string: { hostname: true } }, value: '-bad-.example', error: 'valid hostname' },
  { rules: { string: { ip: true } }, value: '::1' },
  { rules: { string: { ipv4: true } }, value: '::1', error: 'valid IPv4' },
  { rules: { string: { address: true } }, value: '10.0.0.1' },
  { rules: { string: { uuid: true } }, value: 'not-a-uuid', error: 'valid UUID' },
  { rules: { string: { uri: true } }, value: 'relative/path', error: 'absolute URI' },
  { rules: { string: { well_known_regex: 'HTTP_HEADER_NAME' } }, value: 'x header', error: 'HTTP_HEADER_NAME' }, // strict by default
  { rules: { string: { well_known_regex: 'HTTP_HEADER_NAME', strict: false } }, value: 'x header' },
  { rules: { string: { well_known_regex: 'HTTP_HEADER_VALUE' } }, value: 'a\u0001b', error: 'HTTP_HEADER_VALUE' },
  { rules: { string: { min_len: 3, ignore_empty: true } }, value: '' },
  { rules: { bytes: { min_len: 2 } }, value: Buffer.from([1]), error: 'at least 2 bytes' },
  { rules: { bytes: { ipv4: true } }, value: Buffer.from([10, 0, 0, 1]) },
  { rules: { bool: { const: true } }, value: false, error: 'must be true' },
  { rules: { uint32: { gt: 0 } }, value: 0, error: 'must be greater than 0' },
  {
    rules: { int32: { gte: -5, lte: 5 } },
    value: -6,
    error: 'greater than or equal to -5 and less than or equal to 5',
  },
  { rules: { double: { gt: 0, lte: 1 } }, value: 0.5 },
  { rules: { uint32: { lt: 10, gt: 20 } }, value: 15, error: 'must be less than 10 or greater than 20' }, // PGV exclusive range
  { rules: { uint32: { lt: 10, gt: 20 } }, value: 25 },
  { rules: { uint32: { in: [1, 2] } }, value: 3, error: 'must be one of 1, 2' },
  { rules: { uint64: { not_in: [0] } }, value: 0, error: 'must not be one of 0' },
  { rules: { uint32: { gte: 5, ignore_empty: true } }, value: 0 },
  {
    rules: { duration: { gte: {}, lt: { seconds: 1 } } },
    value: -1n,
    error: 'greater than or equal to 0s and less than 1s',
  },
  { rules: { duration: { const: { seconds: 2, nanos: 500000000 } } }, value: 2_000_000_000n, error: 'must equal 2.5s' },
  {
    rules: { any: { in: ['type.googleapis.com/a.B'] } },
    value: 'type.googleapis.com/c.D',
    error: '@type must be one of',
  },
];

describe('envoy/validate: PGV rule checks (compileRules)', () => {
  for (const row of table) {
    it(`${JSON.stringify(row.rules)} on ${typeof row.value === 'bigint' ? `${row.value}ns` : JSON.stringify(row.value)}`, () => {
      const check = compileRules(row.rules).value!;
      expect(check).to.be.a('function');
      const result = check(row.value);
      if (row.error) expect(result).to.contain(row.error);
      else expect(result).to.equal(undefined);
    });
  }

  it('repeated: unique, min/max items and item rules', () => {
    const rules = compileRules({
      repeated: { min_items: 1, max_items: 3, unique: true, items: { string: { min_len: 1 } } },
    });
    expect(rules.list!(['a', 'b'], 2)).to.equal(undefined);
    expect(rules.list!(['a', 'a'], 2)).to.contain('items must be unique, "a" repeats');
    expect(rules.list!([], 0)).to.contain('at least 1 items (min_items), got 0');
    expect(rules.list!(['a', 'b', 'c', 'd'], 4)).to.contain('at most 3 items (max_items), got 4');
    expect(rules.value!('')).to.contain('min_len');
  });

  it('map: pair count and key rules', () => {
    const rules = compileRules({ map: { min_pairs: 1, max_pairs: 2, keys: { string: { min_len: 2 } } } });
    expect(rules.map!.pairs!(0)).to.contain('at least 1 pairs (min_pairs)');
    expect(rules.map!.pairs!(3)).to.contain('at most 2 pairs (max_pairs)');
    expect(rules.map!.key!('a')).to.contain('min_len');
  });

  it('enum defined_only / not_in need the enum values', () => {
    const rules = compileRules(
      { enum: { defined_only: true, not_in: [0] } },
      {
        values: new Map([
          [0, 'UNSPECIFIED'],
          [1, 'DNS'],
        ]),
      },
    );
    expect(rules.value!(1)).to.equal(undefined);
    expect(rules.value!(7)).to.contain('not a defined enum value');
    expect(rules.value!(0)).to.contain('must not be UNSPECIFIED');
  });

  it('merges the separate (validate.rules) entries of parsedOptions', () => {
    const merged = readPgvRules([
      { '(validate.rules)': { duration: { required: true } } },
      { deprecated: true },
      { '(validate.rules)': { duration: { gt: {} } } },
    ]);
    expect(merged).to.deep.equal({ duration: { required: true, gt: {} } });
    expect(readPgvRules(undefined)).to.equal(undefined);
  });

  it('applies an exclusive duration range from Envoy protos (QuicKeepAliveSettings: 0s or >= 1s)', () => {
    const type = 'envoy.config.core.v3.QuicKeepAliveSettings';
    expect(validateMessage(type, { max_interval: '0s' }).errors).to.deep.equal([]);
    expect(validateMessage(type, { max_interval: '5s' }).errors).to.deep.equal([]);
    expect(validateMessage(type, { max_interval: '0.5s' }).errors).to.deep.equal([
      { path: 'max_interval', message: 'must be less than or equal to 0s or greater than or equal to 1s' },
    ]);
  });
});

// The routing contract's comparator (Emissary's route_weight, then our tie-breaks), one rule per case.
import { expect } from 'chai';
import type { IRStringMatch } from '../../operator/compile/ir.js';
import { compareRouteMatches, sortByRouteOrder, type OrderedMatch } from '../../operator/compile/route-order.js';

const m = (
  id: string,
  path: string,
  extra: {
    host?: string;
    kind?: 'prefix' | 'exact' | 'regex';
    method?: string;
    headers?: IRStringMatch[];
    query?: IRStringMatch[];
    precedence?: number;
  } = {},
): OrderedMatch => ({
  id,
  host: extra.host,
  match: {
    path: { kind: extra.kind ?? 'prefix', value: path, caseSensitive: true },
    ...(extra.method ? { method: extra.method } : {}),
    headers: extra.headers ?? [],
    query: extra.query ?? [],
    precedence: extra.precedence ?? 0,
  },
});
const first = (a: OrderedMatch, b: OrderedMatch): string => (compareRouteMatches(a, b) < 0 ? a.id : b.id);

describe('route order (the comparator)', () => {
  it('precedence first, whatever the prefix', () =>
    expect(first(m('long', '/api/v1/'), m('prec', '/', { precedence: 1 }))).to.equal('prec'));
  it('then the longer path, even against header constraints (Emissary: prefix length before headers)', () =>
    expect(
      first(m('hdr', '/api/', { headers: [{ name: 'x-beta', kind: 'exact', value: '1' }] }), m('long', '/api/v1/')),
    ).to.equal('long'));
  it('then the summed length of host, method and header constraints', () => {
    expect(first(m('plain', '/api/'), m('get', '/api/', { method: 'GET' }))).to.equal('get');
    expect(
      first(
        m('get', '/api/', { method: 'GET' }),
        m('hdr', '/api/', { headers: [{ name: 'x-beta', kind: 'exact', value: '1' }] }),
      ),
    ).to.equal('get');
    expect(first(m('get', '/api/', { method: 'GET' }), m('host', '/api/', { host: 'a.example.com' }))).to.equal('host');
    expect(
      first(
        m('exact', '/api/', { headers: [{ name: 'x-a', kind: 'exact', value: 'bb' }] }),
        m('regex', '/api/', { headers: [{ name: 'x-a', kind: 'regex', value: 'bb' }] }),
      ),
    ).to.equal('regex');
  });
  it('then the query constraints, counted the same way', () =>
    expect(first(m('plain', '/api/'), m('q', '/api/', { query: [{ name: 'debug', kind: 'present' }] }))).to.equal('q'));
  it('ties: exact before prefix before regex, exact host before wildcard, then names', () => {
    expect(first(m('prefix', '/healthz'), m('exact', '/healthz', { kind: 'exact' }))).to.equal('exact');
    expect(first(m('regex', '/healthz', { kind: 'regex' }), m('prefix', '/healthz'))).to.equal('prefix');
    expect(first(m('wild', '/', { host: '*.b.c' }), m('exact', '/', { host: 'a.b.c' }))).to.equal('exact');
    expect(first(m('b', '/x/'), m('a', '/x/'))).to.equal('a');
  });
  it('sortByRouteOrder agrees with the comparator and does not depend on input order', () => {
    const items = [
      m('a', '/'),
      m('b', '/api/'),
      m('c', '/api/', { method: 'GET' }),
      m('d', '/', { precedence: 2 }),
      m('e', '/api/', { query: [{ name: 'v', kind: 'present' }] }),
    ];
    const want = ['d', 'c', 'e', 'b', 'a'];
    expect(sortByRouteOrder(items, (x) => x).map((x) => x.id)).to.deep.equal(want);
    expect(sortByRouteOrder([...items].reverse(), (x) => x).map((x) => x.id)).to.deep.equal(want);
    expect([...items].sort(compareRouteMatches).map((x) => x.id)).to.deep.equal(want);
  });
});

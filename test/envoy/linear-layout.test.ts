// The linear layout: a filter chain's ordered route list as one Envoy virtual host per host name, each holding,
// in the chain's order, the routes that answer that name.
import { expect } from 'chai';
import type { IRFilterChain, IRHostMatch, IRRoute } from '../../operator/compile/ir.js';
import { linearVirtualHosts } from '../../operator/envoy/layouts/linear.js';

const route = (name: string, host: IRHostMatch): IRRoute => ({
  match: { host, path: { kind: 'prefix', value: '/', caseSensitive: true }, headers: [], query: [], precedence: 0 },
  members: [{ name, weight: 100, action: { kind: 'direct', status: 200, body: name }, policy: {} }],
});
const chain = (routes: IRRoute[], extra: Partial<IRFilterChain> = {}): IRFilterChain => ({
  name: 'c',
  serverNames: [],
  routes,
  redirectToHttps: [],
  hostNames: [],
  ...extra,
});
const layout = (c: IRFilterChain) =>
  linearVirtualHosts(c).map((v) => [v.domain, v.redirect, v.routes().map((r) => r.members[0].name)]);

describe('envoy: the linear layout (a virtual host per host name)', () => {
  const routes = [
    route('exact', { kind: 'exact', host: 'api.shop.test' }),
    route('wild', { kind: 'wildcard', pattern: '*.shop.test', except: ['owned.shop.test'] }),
    route('any-a', { kind: 'any', except: ['owned.shop.test'] }),
    route('any-b', { kind: 'any', except: [] }),
  ];

  it('keeps the chain order within each virtual host, and exceptions out of the names they except', () => {
    expect(layout(chain(routes))).to.deep.equal([
      ['api.shop.test', false, ['exact', 'wild', 'any-a', 'any-b']],
      ['owned.shop.test', false, ['any-b']],
      ['*.shop.test', false, ['wild', 'any-a', 'any-b']],
      ['*', false, ['any-a', 'any-b']],
    ]);
  });

  it('an SNI chain only has the names its server names reach; redirects mark their names', () => {
    const c = chain(routes, {
      serverNames: ['api.shop.test'],
      redirectToHttps: [{ kind: 'exact', host: 'api.shop.test' }],
      hostNames: ['other.test'],
    });
    expect(layout(c).map(([d, r]) => [d, r])).to.deep.equal([
      ['api.shop.test', true],
      ['*.shop.test', false],
      ['*', false],
    ]);
  });

  it('hostNames become virtual hosts even when no route names them', () => {
    expect(layout(chain([routes[3]], { hostNames: ['x.test'] }))).to.deep.equal([
      ['x.test', false, ['any-b']],
      ['*', false, ['any-b']],
    ]);
  });
});

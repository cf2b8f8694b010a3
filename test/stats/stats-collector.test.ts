// StatsCollector over a scripted set of Envoys (the source `portico dev` also plugs in): pods that come and go,
// one that does not answer, and collections asked for at once (each pod's reads stay in order).
import { expect } from 'chai';
import { StatsCollector, type EnvoyPodTarget } from '../../operator/stats/stats-collector.js';
import type { EnvoyStatsScrape } from '../../operator/stats/envoy-scrape.js';

const C = 'cluster.shop_cart_80.upstream_rq_completed';

describe('StatsCollector', () => {
  let pods: EnvoyPodTarget[];
  const values = new Map<string, number>();
  const pod = (name: string): EnvoyPodTarget => ({
    key: `uid-${name}`,
    name,
    statsUrl: `http://${name}`,
    version: 'h1',
  });
  const scrape = async (url: string): Promise<EnvoyStatsScrape> => {
    await new Promise((r) => setTimeout(r, 5));
    const name = url.slice('http://'.length);
    if (!values.has(name)) throw new Error(`${url}/stats: connect ECONNREFUSED`);
    return { uptimeSeconds: 100, counters: new Map([[C, values.get(name)!]]), gauges: new Map() };
  };
  const collector = () =>
    new StatsCollector({
      pods: () => pods,
      scrape,
      served: () => ({ services: ['shop/cart'], mappings: [] }),
      intervalMs: 0,
    });

  it('sums every pod, keeps a pod’s count after it is gone, and reports one that does not answer', async () => {
    pods = [pod('a'), pod('b'), pod('c')];
    values.clear();
    values.set('a', 5).set('b', 7);
    const s = collector();
    let r = await s.report();
    expect(r.services['shop/cart'].requests).to.equal(12);
    expect(r.envoys).to.deep.equal([
      { pod: 'a', version: 'h1', up: true },
      { pod: 'b', version: 'h1', up: true },
      { pod: 'c', version: 'h1', up: false, error: 'http://c/stats: connect ECONNREFUSED' },
    ]);
    pods = [pod('b'), pod('d')];
    values.set('b', 9).set('d', 1);
    r = await s.report();
    expect(r.services['shop/cart'].requests, 'a’s 5 kept, b grew by 2, d new').to.equal(5 + 9 + 1);
  });

  it('runs collections one at a time, so concurrent answers never count a read twice', async () => {
    pods = [pod('a')];
    values.clear();
    values.set('a', 3);
    const s = collector();
    const first = s.report();
    values.set('a', 4);
    const [r1, r2, r3] = await Promise.all([first, s.report(), s.report()]);
    expect(r1.services['shop/cart'].requests).to.be.oneOf([3, 4]);
    expect(r2.services['shop/cart'].requests).to.equal(4);
    expect(r3).to.equal(r2);
    expect((await s.report()).services['shop/cart'].requests).to.equal(4);
  });
});

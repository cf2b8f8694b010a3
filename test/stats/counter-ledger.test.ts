// CounterLedger: totals over pods that restart, go away and come and go (docs/statistics.md, "Counters across
// restarts"), and the report built from them.
import { expect } from 'chai';
import { CounterLedger } from '../../operator/stats/counter-ledger.js';

const C = 'cluster.shop_cart_80.upstream_rq_completed';
const scrape = (uptimeSeconds: number, value: number, name = C) => ({
  uptimeSeconds,
  counters: new Map([[name, value]]),
});
const total = (l: CounterLedger, name = C) => l.totals().get(name) ?? 0;

describe('CounterLedger', () => {
  it('counts a pod first seen from zero: its whole life so far', () => {
    const l = new CounterLedger();
    l.observe('a', scrape(100, 40));
    expect(total(l)).to.equal(40);
  });

  it('adds only what grew since the pod’s previous scrape, over every pod', () => {
    const l = new CounterLedger();
    l.observe('a', scrape(1, 10));
    l.observe('b', scrape(1, 5));
    l.observe('a', scrape(2, 12));
    l.observe('a', scrape(3, 12));
    l.observe('b', scrape(2, 9));
    expect(total(l)).to.equal(21);
  });

  it('keeps what a pod counted after it is gone, and a new pod adds its own from zero', () => {
    const l = new CounterLedger();
    l.observe('a', scrape(1, 10));
    l.observe('b', scrape(1, 7));
    l.retire('a');
    l.observe('c', scrape(1, 3));
    l.observe('b', scrape(2, 8));
    expect(total(l)).to.equal(10 + 8 + 3);
    expect(l.pods().sort()).to.deep.equal(['b', 'c']);
  });

  it('an Envoy that restarted in its pod (uptime went down) counts from zero again: nothing lost, nothing twice', () => {
    const l = new CounterLedger();
    l.observe('a', scrape(50, 30));
    expect(l.observe('a', scrape(2, 45)).restarted, 'more than before, but a restart').to.equal(true);
    expect(total(l)).to.equal(30 + 45);
  });

  it('a counter that went down means a restart even without uptime', () => {
    const l = new CounterLedger();
    l.observe('a', { counters: new Map([[C, 30]]) });
    expect(l.observe('a', { counters: new Map([[C, 4]]) }).restarted).to.equal(true);
    expect(total(l)).to.equal(34);
  });

  it('a stat that disappears keeps its total, and counts from zero when it comes back', () => {
    const l = new CounterLedger();
    const other = 'cluster.shop_web_80.upstream_rq_completed';
    l.observe('a', {
      uptimeSeconds: 1,
      counters: new Map([
        [C, 5],
        [other, 1],
      ]),
    });
    l.observe('a', { uptimeSeconds: 2, counters: new Map([[other, 2]]) });
    l.observe('a', {
      uptimeSeconds: 3,
      counters: new Map([
        [C, 2],
        [other, 2],
      ]),
    });
    expect(total(l)).to.equal(7);
    expect(total(l, other)).to.equal(2);
  });

  it('forgets totals it is told to, so memory follows the config', () => {
    const l = new CounterLedger();
    l.observe('a', {
      uptimeSeconds: 1,
      counters: new Map([
        [C, 5],
        ['x', 1],
      ]),
    });
    l.forget((name) => name === C);
    expect([...l.totals().keys()]).to.deep.equal([C]);
  });
});

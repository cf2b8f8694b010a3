import { expect } from 'chai';
import { Debouncer } from '../../operator/reconcile/debounce.js';

// A manual clock so the holdoff arithmetic is checked exactly, without sleeping.
function manualClock() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
        await new Promise((r) => setImmediate(r));
      }
      now = end;
    },
  };
}

describe('operator: Debouncer (holdoff 100 ms, max 500 ms)', () => {
  it('runs 100 ms after the last event of a short burst, once', async () => {
    const clock = manualClock();
    const runs: Array<{ at: number; first: number }> = [];
    const d = new Debouncer({
      holdoffMs: 100,
      maxHoldoffMs: 500,
      run: async (first) => void runs.push({ at: clock.now(), first }),
      ...clock,
    });
    d.trigger();
    await clock.advance(50);
    d.trigger();
    await clock.advance(99);
    expect(runs).to.have.length(0);
    await clock.advance(1);
    expect(runs).to.deep.equal([{ at: 150, first: 0 }]);
  });

  it('never waits more than 500 ms after the first unprocessed event under constant churn', async () => {
    const clock = manualClock();
    const runs: number[] = [];
    const d = new Debouncer({
      holdoffMs: 100,
      maxHoldoffMs: 500,
      run: async () => void runs.push(clock.now()),
      ...clock,
    });
    for (let t = 0; t < 1200; t += 50) {
      d.trigger();
      await clock.advance(50);
    }
    expect(runs[0]).to.equal(500);
    expect(runs[1]).to.equal(1000); // the first event after that run came at 500
  });

  it('runs one at a time and folds events during a run into one follow-up run', async () => {
    const clock = manualClock();
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => undefined;
    const runs: number[] = [];
    const d = new Debouncer({
      holdoffMs: 100,
      maxHoldoffMs: 500,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(clock.now());
        await new Promise<void>((r) => (release = r));
        active--;
      },
      ...clock,
    });
    d.trigger();
    await clock.advance(100);
    expect(runs).to.deep.equal([100]);
    d.trigger();
    d.trigger();
    await clock.advance(1000);
    expect(runs).to.have.length(1); // still running
    release();
    await new Promise((r) => setImmediate(r));
    await clock.advance(1);
    // the events were 1000 ms old already: the follow-up runs at once
    expect(runs).to.have.length(2);
    release();
    await d.stop();
    expect(maxActive).to.equal(1);
  });
});

// Trailing-edge debounce with a ceiling, Contour's holdoff: each event pushes the run back by `holdoffMs`,
// but never more than `maxHoldoffMs` after the first event not yet processed. Only one run at a time; events
// during a run schedule exactly one follow-up run.

export interface DebouncerOptions {
  holdoffMs: number;
  maxHoldoffMs: number;
  /** Receives the time of the oldest event this run covers (for the event→published latency metric). */
  run: (firstEventAt: number) => Promise<void>;
  /** Injected for tests. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class Debouncer {
  private timer: unknown = undefined;
  private firstPendingAt: number | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: DebouncerOptions) {
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  /** Record an event. */
  trigger(): void {
    if (this.stopped) return;
    const now = this.now();
    this.firstPendingAt ??= now;
    if (this.running) return; // the run's completion re-schedules
    this.schedule(now);
  }

  private schedule(now: number): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    const deadline = (this.firstPendingAt ?? now) + this.opts.maxHoldoffMs;
    const delay = Math.max(0, Math.min(this.opts.holdoffMs, deadline - now));
    this.timer = this.setTimer(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    const firstEventAt = this.firstPendingAt ?? this.now();
    this.firstPendingAt = undefined;
    this.running = this.opts
      .run(firstEventAt)
      .catch(() => undefined) // the run logs its own errors
      .finally(() => {
        this.running = undefined;
        if (this.firstPendingAt !== undefined && !this.stopped) this.schedule(this.now());
      });
  }

  /** Wait for the run in flight, if any. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    await this.idle();
  }
}

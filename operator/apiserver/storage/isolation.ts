// Work that runs because of a write but is not part of answering it (store listeners, controllers' deferred
// steps) must never take the server down: a throw is reported and that one step is skipped.

export type ProblemReporter = (what: string, err: unknown) => void;

export const reportToStderr: ProblemReporter = (what, err) => {
  process.stderr.write(`apiserver: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
};

export function runIsolated(what: string, fn: () => void, report: ProblemReporter = reportToStderr): void {
  try {
    fn();
  } catch (err) {
    report(what, err);
  }
}

/** setImmediate(fn), isolated. */
export function deferIsolated(what: string, fn: () => void, report: ProblemReporter = reportToStderr): void {
  setImmediate(() => runIsolated(what, fn, report));
}

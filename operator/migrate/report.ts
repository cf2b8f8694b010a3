// What `portico migrate` says about each source object: every field carried (as it was, under its Portico
// name), changed (converted, or a default written out: how) or dropped (why), and one summary line. Pure.

export type Outcome = 'carried' | 'changed' | 'dropped';

export interface FieldNote {
  outcome: Outcome;
  /** The Emissary field (`timeout_ms`, `retry_policy.retry_on`), or `(default) <field>` for a default written out. */
  field: string;
  /** carried: the Portico field it became; changed: how; dropped: why. */
  detail: string;
}

export interface ObjectReport {
  /** Where it was read: `file:line`, with the annotated Service for the annotation era. */
  source: string;
  /** `Mapping default/quote (getambassador.io/v3alpha1)`. */
  from: string;
  /** The Portico objects written for it (`Mapping default/quote`); empty when none is. */
  to: string[];
  notes: FieldNote[];
}

export const carried = (field: string, detail: string): FieldNote => ({ outcome: 'carried', field, detail });
export const changed = (field: string, detail: string): FieldNote => ({ outcome: 'changed', field, detail });
export const dropped = (field: string, detail: string): FieldNote => ({ outcome: 'dropped', field, detail });

export function countOutcomes(reports: readonly ObjectReport[]): Record<Outcome, number> {
  const n: Record<Outcome, number> = { carried: 0, changed: 0, dropped: 0 };
  for (const r of reports) for (const note of r.notes) n[note.outcome]++;
  return n;
}

/** Whether anything was lost: exit status 3 of `portico migrate`. */
export const anythingDropped = (reports: readonly ObjectReport[]): boolean =>
  reports.some((r) => r.notes.some((n) => n.outcome === 'dropped'));

/**
 * The report as printed to standard error:
 *   quote.yaml:1 Mapping default/quote (getambassador.io/v3alpha1) → Mapping default/quote
 *     carried  prefix: as prefix
 *     changed  timeout_ms: 3000 → timeout: 3s
 *     dropped  bypass_auth: Portico has no external authorization service
 *   migrate: 1 object read, 1 written; 5 fields carried, 2 changed, 1 dropped
 */
/** A carried note whose detail is just the Portico field it became (`prefix`, `cors.origins`, `headers[name=x]`). */
const BARE_FIELD = /^[A-Za-z][A-Za-z.]*(\[name=[^\]]+\])?$/;

export function formatReport(reports: readonly ObjectReport[], written: number): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.source} ${r.from} → ${r.to.length > 0 ? r.to.join(', ') : 'nothing written'}`);
    for (const n of r.notes)
      lines.push(
        `  ${n.outcome.padEnd(8)} ${n.field}: ${n.outcome === 'carried' && BARE_FIELD.test(n.detail) ? `as ${n.detail}` : n.detail}`,
      );
  }
  const c = countOutcomes(reports);
  const objects = (k: number) => `${k} ${k === 1 ? 'object' : 'objects'}`;
  lines.push(
    `migrate: ${objects(reports.length)} read, ${written} written; ${c.carried} fields carried, ${c.changed} changed, ${c.dropped} dropped`,
  );
  return `${lines.join('\n')}\n`;
}

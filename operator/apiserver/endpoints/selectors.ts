// Label selectors (equality and set-based) and field selectors, parsed as apimachinery does and applied to
// lists and watches. Parse errors become 400 BadRequest with the real messages.
import type { FieldLabels } from '../registry/field-labels.js';
import { badRequest } from '../encoding/status-errors.js';

type LabelRequirement =
  { key: string; op: 'exists' | 'notexists' } | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = LabelRequirement[];

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, whole: string): void {
  if (!KEY.test(key))
    throw badRequest(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') in ${JSON.stringify(whole)}`,
    );
}

export function parseLabelSelector(s: string | null | undefined): LabelSelector {
  if (!s) return [];
  const reqs: LabelSelector = [];
  for (const part of splitTopLevel(s)) {
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(part))) {
      checkKey(m[1], s);
      reqs.push({ key: m[1], op: 'notexists' });
    } else if ((m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      checkKey(m[1], s);
      reqs.push({
        key: m[1],
        op: m[2] as 'in' | 'notin',
        values: m[3]
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      });
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part))) {
      checkKey(m[1], s);
      // After the operator the lexer wants a value: "a===b" reads "==" then "=".
      const stray = /^(!=|==|=|!)/.exec(m[3]);
      if (stray) throw badRequest(`unable to parse requirement: found '${stray[1]}', expected: identifier`);
      reqs.push({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
    } else if (/^[^=!\s()]+$/.test(part)) {
      checkKey(part, s);
      reqs.push({ key: part, op: 'exists' });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
  /** Reads the object's value for `field` (the resource's selectable fields). */
  read(obj: Record<string, any>): string;
}

/** Splits on commas that are not escaped with a backslash (fields.splitTerms). */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ',') {
      terms.push(cur);
      cur = '';
    } else cur += s[i];
  }
  terms.push(cur);
  return terms;
}

/** The first `!=`, `==` or `=` splits a term (fields.splitTerm); no whitespace is trimmed, as on the real server. */
function splitTerm(term: string): { lhs: string; op: '=' | '!='; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op: op === '!=' ? '!=' : '=', rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue: only `\\`, `\,` and `\=` are escapes; a bare `,` or `=` is an error (Go prints the rune's number). */
function unescapeValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ',' || c === '=')
      throw badRequest(`invalid field selector: unescaped character in value: ${c.charCodeAt(0)}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === undefined) throw badRequest('invalid field selector: invalid escape sequence: \\');
    if (next !== '\\' && next !== ',' && next !== '=')
      throw badRequest(`invalid field selector: invalid escape sequence: \\${next}`);
    out += next;
    i++;
  }
  return out;
}

/** Parses `involvedObject.name=x,type!=y`; labels the resource does not support are a 400 with its real message. */
export function parseFieldSelector(s: string | null | undefined, labels: FieldLabels): FieldRequirement[] {
  if (!s) return [];
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(s).sort()) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const value = unescapeValue(t.rhs);
    if (!labels.labels.includes(t.lhs)) throw badRequest(labels.unsupported(t.lhs));
    reqs.push({ field: t.lhs, op: t.op, value, read: (obj) => labels.valueOf(obj, t.lhs) });
  }
  return reqs;
}

export function matchesFields(reqs: FieldRequirement[], obj: Record<string, any>): boolean {
  return reqs.every((r) => (r.read(obj) === r.value) === (r.op === '='));
}

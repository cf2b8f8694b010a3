// The small subset of CEL that Portico's CRD rules (x-kubernetes-validations) are written in, so that
// `portico validate`, the operator's validators and the embedded API server evaluate them exactly as
// kube-apiserver does, without a CEL runtime. crds/ must stay inside it: test/api/cel.test.ts checks every rule.
// A rule outside the subset is refused with a CelSubsetError naming the construct and its column, never
// evaluated approximately. It lives in operator/api because the product code (validators, `portico validate`)
// may not import operator/apiserver, which imports it too.
//
// The subset:
//   literals      'str' "str" r'raw' (escapes \\ \' \" \n \r \t \xHH \uHHHH), integers, true, false, null
//   variables     self (oldSelf and transition rules are not supported)
//   selection     self.field, has(self.field)
//   operators     !  &&  ||  ==  !=  <  <=  >  >=  ( )
//   functions     size(x), x.size(), s.startsWith(t), s.endsWith(t), s.contains(t), s.matches('re')
// `matches` takes a literal RE2 pattern restricted to constructs that mean the same in RE2 and JavaScript
// (classes, anchors, groups, alternation, * + ? {n,m}; ASCII only; no escapes but \. \- \/ \\ and the like).
// Semantics follow cel-go: && and || absorb an error when the other side decides (false && error == false),
// size() counts code points, equality across types is false, a missing field is "no such key: <name>".
import { jsonEqual } from './json-equality.js';

export class CelSubsetError extends Error {
  constructor(
    readonly rule: string,
    readonly column: number,
    what: string,
  ) {
    super(
      `${what} at column ${column} of ${JSON.stringify(rule)} is outside the CEL subset Portico evaluates (see operator/api/cel.ts)`,
    );
  }
}

/** A runtime error, as cel-go words it (e.g. `no such key: host`). */
export class CelEvalError extends Error {}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

type Node =
  | { kind: 'lit'; value: Value }
  | { kind: 'self' }
  | { kind: 'select'; target: Node; field: string }
  | { kind: 'has'; target: Node; field: string }
  | { kind: 'not'; arg: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Node; right: Node }
  | { kind: 'size'; arg: Node }
  | { kind: 'method'; name: 'startsWith' | 'endsWith' | 'contains'; target: Node; arg: Node }
  | { kind: 'matches'; target: Node; re: RegExp };

export interface CelProgram {
  readonly rule: string;
  /** Evaluates the rule with `self` bound to `self`: true, false, or a thrown CelEvalError. */
  evaluate(self: unknown): boolean;
}

type Token = { t: 'id' | 'int' | 'str' | 'op' | 'end'; v: string; col: number };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '.', ','];
const UNSUPPORTED_OPS = ['+', '-', '*', '/', '%', '?', ':', '[', ']', '{', '}', '='];

function tokenize(rule: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (what: string, at = i): never => {
    throw new CelSubsetError(rule, at + 1, what);
  };
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      const raw = (c === 'r' || c === 'R') && (rule[i + 1] === "'" || rule[i + 1] === '"');
      if (!raw) {
        while (i < rule.length && /[A-Za-z0-9_]/.test(rule[i])) i++;
        out.push({ t: 'id', v: rule.slice(start, i), col: start + 1 });
        continue;
      }
      i++;
    }
    if (c === "'" || c === '"' || ((c === 'r' || c === 'R') && i === start + 1)) {
      const raw = i === start + 1;
      const quote = rule[i];
      if (rule.startsWith(quote.repeat(3), i)) fail('a triple-quoted string');
      i++;
      let s = '';
      for (;;) {
        if (i >= rule.length) fail('an unterminated string', start);
        const ch = rule[i];
        if (ch === quote) {
          i++;
          break;
        }
        if (ch === '\n') fail('a line break in a string');
        if (ch === '\\' && !raw) {
          const e = rule[i + 1];
          const simple: Record<string, string> = {
            '\\': '\\',
            "'": "'",
            '"': '"',
            n: '\n',
            r: '\r',
            t: '\t',
            '`': '`',
            '?': '?',
          };
          if (e in simple) {
            s += simple[e];
            i += 2;
          } else if (e === 'x' && /^[0-9A-Fa-f]{2}$/.test(rule.slice(i + 2, i + 4))) {
            s += String.fromCodePoint(parseInt(rule.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(rule.slice(i + 2, i + 6))) {
            s += String.fromCodePoint(parseInt(rule.slice(i + 2, i + 6), 16));
            i += 6;
          } else fail(`the escape \\${e ?? ''}`);
          continue;
        }
        s += ch;
        i++;
      }
      out.push({ t: 'str', v: s, col: start + 1 });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < rule.length && /[0-9]/.test(rule[i])) i++;
      if (/[eExXuU]/.test(rule[i] ?? '') || (rule[i] === '.' && /[0-9]/.test(rule[i + 1] ?? '')))
        fail('a non-decimal, unsigned or floating-point number', start);
      out.push({ t: 'int', v: rule.slice(start, i), col: start + 1 });
      continue;
    }
    const op = OPS.find((o) => rule.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op, col: start + 1 });
      i += op.length;
      continue;
    }
    const bad = UNSUPPORTED_OPS.find((o) => rule.startsWith(o, i));
    fail(bad ? `the operator "${bad}"` : `the character ${JSON.stringify(c)}`);
  }
  out.push({ t: 'end', v: '', col: rule.length + 1 });
  return out;
}

/** Checks a `matches` pattern against the constructs RE2 and JavaScript agree on; returns the JS RegExp. */
function compilePattern(rule: string, col: number, pattern: string): RegExp {
  const fail = (what: string): never => {
    throw new CelSubsetError(rule, col, `${what} in the pattern ${JSON.stringify(pattern)}`);
  };
  if (/[^\x20-\x7e]/.test(pattern)) fail('a non-ASCII or control character');
  if (pattern.includes('(?')) fail('a flag group or lookaround "(?"');
  if (pattern.includes('[:')) fail('a POSIX class "[:"');
  // RE2's "." is any character but \n; JavaScript's also refuses \r, \u2028 and \u2029, so it is spelled out.
  let js = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (!/[\\.\-/^$|()[\]{}*+?]/.test(e)) fail(`the escape \\${e}`);
      js += c + e;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    js += c === '.' && !inClass ? '[^\\n]' : c;
  }
  try {
    return new RegExp(js, 'u');
  } catch (err) {
    return fail(`an invalid regular expression (${(err as Error).message})`);
  }
}

function parse(rule: string): Node {
  const tokens = tokenize(rule);
  let p = 0;
  const peek = () => tokens[p];
  const next = () => tokens[p++];
  const fail = (tok: Token, what: string): never => {
    throw new CelSubsetError(rule, tok.col, what);
  };
  const expect = (v: string) => {
    const tok = next();
    if (tok.t !== 'op' || tok.v !== v)
      fail(
        tok,
        tok.t === 'end' ? `the end of the rule where "${v}" belongs` : `${JSON.stringify(tok.v)} where "${v}" belongs`,
      );
  };
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;

  const or = (): Node => {
    let left = and();
    while (isOp('||')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = relation();
    while (isOp('&&')) {
      next();
      left = { kind: 'and', left, right: relation() };
    }
    return left;
  };
  const relation = (): Node => {
    let left = unary();
    while (peek().t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(peek().v)) {
      const op = next().v as '==' | '!=' | '<' | '<=' | '>' | '>=';
      left = { kind: 'cmp', op, left, right: unary() };
    }
    if (peek().t === 'id' && peek().v === 'in') fail(peek(), 'the operator "in"');
    return left;
  };
  const unary = (): Node => {
    if (isOp('!')) {
      next();
      return { kind: 'not', arg: unary() };
    }
    return member();
  };
  const args = (): Node[] => {
    expect('(');
    const list: Node[] = [];
    if (!isOp(')')) {
      list.push(or());
      while (isOp(',')) {
        next();
        list.push(or());
      }
    }
    expect(')');
    return list;
  };
  const member = (): Node => {
    let node = primary();
    while (isOp('.')) {
      next();
      const name = next();
      if (name.t !== 'id') fail(name, `${JSON.stringify(name.v)} after "."`);
      if (!isOp('(')) {
        node = { kind: 'select', target: node, field: name.v };
        continue;
      }
      const callTok = peek();
      const a = args();
      const arity = (n: number) => {
        if (a.length !== n) fail(callTok, `${name.v}() with ${a.length} argument(s)`);
      };
      switch (name.v) {
        case 'size':
          arity(0);
          node = { kind: 'size', arg: node };
          break;
        case 'startsWith':
        case 'endsWith':
        case 'contains':
          arity(1);
          node = { kind: 'method', name: name.v, target: node, arg: a[0] };
          break;
        case 'matches': {
          arity(1);
          const re = a[0];
          if (re.kind !== 'lit' || typeof re.value !== 'string')
            fail(callTok, 'matches() with a pattern that is not a string literal');
          node = {
            kind: 'matches',
            target: node,
            re: compilePattern(rule, callTok.col, (re as { value: string }).value),
          };
          break;
        }
        default:
          fail(name, `the function ${name.v}()`);
      }
    }
    return node;
  };
  const primary = (): Node => {
    const tok = next();
    if (tok.t === 'int') return { kind: 'lit', value: Number(tok.v) };
    if (tok.t === 'str') return { kind: 'lit', value: tok.v };
    if (tok.t === 'op' && tok.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', value: tok.v === 'true' };
      if (tok.v === 'null') return { kind: 'lit', value: null };
      if (tok.v === 'self') return { kind: 'self' };
      if (tok.v === 'size' && isOp('(')) {
        const callTok = peek();
        const a = args();
        if (a.length !== 1) fail(callTok, `size() with ${a.length} argument(s)`);
        return { kind: 'size', arg: a[0] };
      }
      if (tok.v === 'has' && isOp('(')) {
        const callTok = peek();
        const a = args();
        const sel = a[0];
        if (a.length !== 1 || sel.kind !== 'select') fail(callTok, 'has() without a field selection');
        return { kind: 'has', target: (sel as { target: Node }).target, field: (sel as { field: string }).field };
      }
      if (isOp('(')) fail(tok, `the function ${tok.v}()`);
      fail(tok, tok.v === 'oldSelf' ? 'oldSelf (transition rules)' : `the variable ${tok.v}`);
    }
    return fail(
      tok,
      tok.t === 'end' ? 'the end of the rule where a value belongs' : `${JSON.stringify(tok.v)} where a value belongs`,
    );
  };

  const node = or();
  if (peek().t !== 'end') fail(peek(), `${JSON.stringify(peek().v)} after a complete expression`);
  return node;
}

const typeName = (v: Value): string =>
  v === null
    ? 'null_type'
    : typeof v === 'boolean'
      ? 'bool'
      : typeof v === 'number'
        ? 'int'
        : typeof v === 'string'
          ? 'string'
          : Array.isArray(v)
            ? 'list'
            : 'map';

function noOverload(fn: string, ...args: Value[]): never {
  throw new CelEvalError(`no such overload: ${fn}(${args.map(typeName).join(', ')})`);
}

function equal(a: Value, b: Value): boolean {
  if (typeName(a) !== typeName(b)) return false;
  if (a === null || typeof a !== 'object') return a === b;
  return jsonEqual(a, b);
}

function evaluate(node: Node, self: Value): Value {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'self':
      return self;
    case 'select':
    case 'has': {
      const target = evaluate(node.target, self);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) noOverload(`_.${node.field}`, target);
      const present = Object.prototype.hasOwnProperty.call(target, node.field);
      if (node.kind === 'has') return present;
      if (!present) throw new CelEvalError(`no such key: ${node.field}`);
      return (target as { [key: string]: Value })[node.field];
    }
    case 'not': {
      const v = evaluate(node.arg, self);
      if (typeof v !== 'boolean') noOverload('!_', v);
      return !v;
    }
    case 'and':
    case 'or': {
      // cel-go's commutative short-circuit: the side that decides wins over an error on the other side.
      const decides = node.kind === 'or';
      let leftErr: unknown;
      let left: Value = null;
      try {
        left = evaluate(node.left, self);
        if (left === decides) return decides;
      } catch (err) {
        leftErr = err;
      }
      const right = evaluate(node.right, self);
      if (right === decides) return decides;
      if (leftErr) throw leftErr;
      if (typeof left !== 'boolean' || typeof right !== 'boolean')
        noOverload(node.kind === 'and' ? '_&&_' : '_||_', left, right);
      return !decides;
    }
    case 'cmp': {
      const a = evaluate(node.left, self);
      const b = evaluate(node.right, self);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      if (typeName(a) !== typeName(b) || (typeof a !== 'number' && typeof a !== 'string'))
        noOverload(`_${node.op}_`, a, b);
      const x = a as number | string;
      const y = b as number | string;
      return node.op === '<' ? x < y : node.op === '<=' ? x <= y : node.op === '>' ? x > y : x >= y;
    }
    case 'size': {
      const v = evaluate(node.arg, self);
      if (typeof v === 'string') return [...v].length;
      if (Array.isArray(v)) return v.length;
      if (v !== null && typeof v === 'object') return Object.keys(v).length;
      return noOverload('size', v);
    }
    case 'method': {
      const s = evaluate(node.target, self);
      const t = evaluate(node.arg, self);
      if (typeof s !== 'string' || typeof t !== 'string') noOverload(node.name, s, t);
      const str = s as string;
      const sub = t as string;
      return node.name === 'startsWith'
        ? str.startsWith(sub)
        : node.name === 'endsWith'
          ? str.endsWith(sub)
          : str.includes(sub);
    }
    case 'matches': {
      const s = evaluate(node.target, self);
      if (typeof s !== 'string') noOverload('matches', s, '');
      return node.re.test(s as string);
    }
  }
}

/** Parses a rule; throws CelSubsetError when it uses anything outside the subset. */
export function compileCel(rule: string): CelProgram {
  const root = parse(rule);
  return {
    rule,
    evaluate(self) {
      const v = evaluate(root, self as Value);
      if (typeof v !== 'boolean') throw new CelEvalError(`rule evaluated to ${typeName(v)}, not bool`);
      return v;
    },
  };
}

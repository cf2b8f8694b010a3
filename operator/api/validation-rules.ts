// x-kubernetes-validations, evaluated the way apiextensions-apiserver 1.36 does it (pkg/apiserver/schema/cel/
// validation.go): each rule runs with `self` bound to the value at its schema node, for every value present
// (each item of a list, each value of a map), and a rule that is false becomes a field error at that path:
//   field.Invalid(path, value, message)      "spec.prefix: Invalid value: \"bad\": must start with \"/\""
// with the value omitted for objects and lists, or Forbidden/Required/Duplicate when the rule gives a reason.
// An evaluation error is reported as kube-apiserver reports it: `Invalid value: "<type>": <error> evaluating
// rule: <message>`. The rules are compiled (compileCel) once, when the schema is; a rule outside the subset
// fails the compilation with its schema path. Shared by the validators, `portico validate` and the embedded API
// server, which all turn these violations into their own field errors.
import { CelEvalError, CelSubsetError, compileCel, type CelProgram } from './cel.js';

type Schema = Record<string, any>;

export type RuleReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

export interface RuleViolation {
  reason: RuleReason;
  /** The field path as field.Path prints it: `spec.hosts[1]`; `<nil>` for a rule on the root. */
  field: string;
  /** The offending value (Invalid, Duplicate), or for an evaluation error the schema type name. */
  value?: unknown;
  /** kube-apiserver omits the value of objects and lists: `Invalid value: <message>`. */
  omitValue: boolean;
  detail: string;
}

interface CompiledRule {
  program: CelProgram;
  /** ruleErrorString: the message if there is one, else the rule. */
  shown: string;
  /** The detail of a failed rule: the message, or `failed rule: <rule>`. */
  detail: string;
  reason: RuleReason;
  /** Rule fieldPath (`.a.b`), appended to the path of errors. */
  fieldPath: string;
}

interface RuleNode {
  type?: string;
  rules: CompiledRule[];
  properties: Map<string, RuleNode>;
  items?: RuleNode;
  additionalProperties?: RuleNode;
}

export interface ValidationRules {
  /** Whether the schema has any rule at all. */
  readonly empty: boolean;
  validate(obj: unknown): RuleViolation[];
}

/** Every x-kubernetes-validations rule in a schema, with the schema path it sits at (for tests and errors). */
export function listValidationRules(schema: Schema, path = 'openAPIV3Schema'): Array<{ path: string; rule: Schema }> {
  const out: Array<{ path: string; rule: Schema }> = [];
  const walk = (s: Schema | undefined, p: string) => {
    if (!s || typeof s !== 'object') return;
    ((s['x-kubernetes-validations'] as Schema[] | undefined) ?? []).forEach((rule, i) =>
      out.push({ path: `${p}.x-kubernetes-validations[${i}]`, rule }),
    );
    for (const [k, v] of Object.entries((s.properties ?? {}) as Schema)) walk(v, `${p}.properties[${k}]`);
    walk(s.items, `${p}.items`);
    if (s.additionalProperties && typeof s.additionalProperties === 'object')
      walk(s.additionalProperties, `${p}.additionalProperties`);
  };
  walk(schema, path);
  return out;
}

const REASONS: RuleReason[] = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'];

function compileNode(s: Schema, path: string): RuleNode {
  const rules = ((s['x-kubernetes-validations'] as Schema[] | undefined) ?? []).map((r, i): CompiledRule => {
    const where = `${path}.x-kubernetes-validations[${i}]`;
    if (typeof r.rule !== 'string') throw new Error(`${where}.rule: Required value`);
    if (r.messageExpression !== undefined) throw new CelSubsetError(r.rule, 1, `messageExpression (at ${where})`);
    if (r.optionalOldSelf !== undefined) throw new CelSubsetError(r.rule, 1, `optionalOldSelf (at ${where})`);
    let program: CelProgram;
    try {
      program = compileCel(r.rule);
    } catch (err) {
      if (err instanceof CelSubsetError)
        throw new CelSubsetError(
          r.rule,
          err.column,
          `${err.message.replace(/ at column \d+ of .*$/, '')} (at ${where})`,
        );
      throw err;
    }
    const reason = (r.reason ?? 'FieldValueInvalid') as RuleReason;
    if (!REASONS.includes(reason)) throw new Error(`${where}.reason: Unsupported value: ${JSON.stringify(reason)}`);
    const fieldPath = typeof r.fieldPath === 'string' ? r.fieldPath : '';
    if (fieldPath && !/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(fieldPath))
      throw new CelSubsetError(
        r.rule,
        1,
        `the fieldPath ${JSON.stringify(fieldPath)} (only .a.b is supported; at ${where})`,
      );
    const message = typeof r.message === 'string' ? r.message.trim() : '';
    return {
      program,
      shown: message || r.rule.trim(),
      detail: message || `failed rule: ${r.rule.trim()}`,
      reason,
      fieldPath: fieldPath.slice(1),
    };
  });
  const node: RuleNode = { type: s.type, rules, properties: new Map() };
  for (const [k, v] of Object.entries((s.properties ?? {}) as Schema))
    node.properties.set(k, compileNode(v, `${path}.properties[${k}]`));
  if (s.items && typeof s.items === 'object') node.items = compileNode(s.items, `${path}.items`);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    node.additionalProperties = compileNode(s.additionalProperties, `${path}.additionalProperties`);
  return node;
}

function hasRules(n: RuleNode | undefined): boolean {
  if (!n) return false;
  return (
    n.rules.length > 0 ||
    [...n.properties.values()].some(hasRules) ||
    hasRules(n.items) ||
    hasRules(n.additionalProperties)
  );
}

const typeOf = (v: unknown, declared?: string): string =>
  declared ??
  (Array.isArray(v)
    ? 'array'
    : v === null
      ? 'null'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'number'
          ? Number.isInteger(v)
            ? 'integer'
            : 'number'
          : typeof v);

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function run(node: RuleNode, value: unknown, path: string, out: RuleViolation[]): void {
  if (value === undefined || value === null) return;
  const type = typeOf(value, node.type);
  for (const r of node.rules) {
    const at = r.fieldPath ? child(path, r.fieldPath) : path || '<nil>';
    let ok: boolean;
    try {
      ok = r.program.evaluate(value);
    } catch (err) {
      if (!(err instanceof CelEvalError)) throw err;
      out.push({
        reason: 'FieldValueInvalid',
        field: path || '<nil>',
        value: type,
        omitValue: false,
        detail: `${err.message} evaluating rule: ${r.shown}`,
      });
      continue;
    }
    if (ok) continue;
    const omitValue = type === 'object' || type === 'array';
    out.push({ reason: r.reason, field: at, value: omitValue ? undefined : value, omitValue, detail: r.detail });
  }
  if (Array.isArray(value)) {
    if (node.items) value.forEach((item, i) => run(node.items!, item, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = node.properties.get(k);
    if (sub) run(sub, v, child(path, k), out);
    else if (node.additionalProperties) run(node.additionalProperties, v, `${path}[${k}]`, out);
  }
}

/** Compiles every rule under `schema` (throws CelSubsetError for a rule outside the subset, naming where). */
export function compileValidationRules(schema: Schema): ValidationRules {
  const root = compileNode(schema ?? {}, 'openAPIV3Schema');
  const empty = !hasRules(root);
  return {
    empty,
    validate(obj) {
      const out: RuleViolation[] = [];
      if (!empty) run(root, obj, '', out);
      return out;
    },
  };
}

/**
 * apiextensions-apiserver runs no rule when the schema check already found a "blocking" error (a missing or
 * wrongly typed field, an unsupported enum value, something too long or too many): it adds this error instead.
 */
export const BLOCKING_TYPES: ReadonlySet<string> = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);
export const RULES_NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

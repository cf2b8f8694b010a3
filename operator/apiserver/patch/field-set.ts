// Sets of field paths, as structured-merge-diff keeps them for managedFields.
// A path is a list of path elements in their FieldsV1 spelling:
//   `f:<field>` a map field, `k:{"name":"x"}` an item of a map-typed list (keys sorted), `v:<json>` an item
//   of a set-typed list, `i:<n>` an item of a list by index.
// Only *members* count; intermediate nodes exist to hold them. FieldsV1 writes a member that also has
// children as `".": {}` inside the child object.

import { isObject } from './json-values.js';

export type PathElement = string;
export type FieldPath = PathElement[];

interface Node {
  member: boolean;
  children: Map<PathElement, Node>;
}

function newNode(): Node {
  return { member: false, children: new Map() };
}

export class FieldSet {
  private readonly root: Node = newNode();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Decodes a FieldsV1 object; throws on something that is not one. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const s = new FieldSet();
    const walk = (obj: unknown, prefix: FieldPath): void => {
      if (!isObject(obj)) throw new Error(`FieldsV1 at ${prefix.join('') || 'root'} is not an object`);
      for (const [k, v] of Object.entries(obj)) {
        if (k === '.') {
          s.insert(prefix);
          continue;
        }
        if (!/^[fkvi]:/.test(k)) throw new Error(`invalid FieldsV1 path element ${JSON.stringify(k)}`);
        const path = [...prefix, k];
        if (isObject(v) && Object.keys(v).length === 0) s.insert(path);
        else walk(v, path);
      }
    };
    walk(fields, []);
    return s;
  }

  insert(path: FieldPath): this {
    let n = this.root;
    for (const pe of path) {
      let c = n.children.get(pe);
      if (!c) n.children.set(pe, (c = newNode()));
      n = c;
    }
    n.member = true;
    return this;
  }

  has(path: FieldPath): boolean {
    const n = this.node(path);
    return !!n && n.member;
  }

  /** True when `path` or anything below it is a member. */
  hasAtOrBelow(path: FieldPath): boolean {
    const n = this.node(path);
    return !!n && (n.member || this.countBelow(n) > 0);
  }

  private countBelow(n: Node): number {
    let c = 0;
    for (const child of n.children.values()) c += (child.member ? 1 : 0) + this.countBelow(child);
    return c;
  }

  private node(path: FieldPath): Node | undefined {
    let n: Node | undefined = this.root;
    for (const pe of path) {
      n = n.children.get(pe);
      if (!n) return undefined;
    }
    return n;
  }

  /** Members in a stable order (a node before its children, children sorted). */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (n: Node, prefix: FieldPath): void => {
      if (n.member) out.push(prefix);
      for (const k of [...n.children.keys()].sort(comparePathElements)) walk(n.children.get(k)!, [...prefix, k]);
    };
    walk(this.root, []);
    return out;
  }

  isEmpty(): boolean {
    return this.paths().length === 0;
  }

  size(): number {
    return this.paths().length;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => other.has(p)));
  }

  /** Removes every member at or below any of `prefixes` (used for fields a write may not own). */
  withoutPrefixes(prefixes: FieldPath[]): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !prefixes.some((pre) => startsWith(p, pre))));
  }

  /** Keeps only the members at or below one of `prefixes`. */
  onlyPrefixes(prefixes: FieldPath[]): FieldSet {
    return FieldSet.of(this.paths().filter((p) => prefixes.some((pre) => startsWith(p, pre))));
  }

  equals(other: FieldSet): boolean {
    const a = this.paths().map((p) => JSON.stringify(p));
    const b = other.paths().map((p) => JSON.stringify(p));
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  toFieldsV1(): Record<string, unknown> {
    const encode = (n: Node): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (n.member && n.children.size > 0) out['.'] = {};
      for (const k of [...n.children.keys()].sort(comparePathElements)) out[k] = encode(n.children.get(k)!);
      return out;
    };
    return encode(this.root);
  }
}

export function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((pe, i) => path[i] === pe);
}

// structured-merge-diff orders field names before keys, values and indexes.
const ELEMENT_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
function comparePathElements(a: PathElement, b: PathElement): number {
  const d = (ELEMENT_ORDER[a[0]] ?? 9) - (ELEMENT_ORDER[b[0]] ?? 9);
  if (d !== 0) return d;
  if (a[0] === 'i' && b[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export const fieldElement = (name: string): PathElement => `f:${name}`;

/** `k:{"name":"x"}`: key fields in sorted order, values as JSON. */
export function keyElement(item: Record<string, unknown>, keys: string[]): PathElement {
  const obj: Record<string, unknown> = {};
  for (const k of [...keys].sort()) obj[k] = item[k];
  return `k:${JSON.stringify(obj)}`;
}

export const valueElement = (v: unknown): PathElement => `v:${JSON.stringify(v)}`;

/** Renders a path the way conflict messages do: `.spec.containers[name="app"].image`, `[="x"]`, `[0]`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const obj = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(obj)
            .map(([k, v]) => `${k}=${formatScalar(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${formatScalar(JSON.parse(body))}]`;
        case 'i':
          return `[${body}]`;
        default:
          return pe;
      }
    })
    .join('');
}

function formatScalar(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : typeof v === 'object' && v !== null
      ? JSON.stringify(v)
      : String(v);
}

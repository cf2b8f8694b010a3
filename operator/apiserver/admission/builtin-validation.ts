// Per-kind validation the real server does for the built-ins Portico writes, where leniency would hide
// operator bugs: ConfigMap/Secret keys, 1 MiB size, `immutable`; Lease MicroTime and durations; Deployment
// selectors. decodeBuiltin errors are 400s (the JSON would not even decode); validateBuiltin errors are 422s.
import { badRequest, type FieldError } from '../encoding/status-errors.js';
import type { ResourceType } from '../registry/resource-types.js';

type Obj = Record<string, any>;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_DATA_BYTES = 1024 * 1024;
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function cannotDecode(rt: ResourceType, why: string): Error {
  return badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`);
}

/** Checks that would fail JSON decoding into the Go type (400 BadRequest). */
export function decodeBuiltin(rt: ResourceType, obj: Obj): void {
  if (rt.custom) return;
  if (rt.kind === 'Secret' && rt.group === '') {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
      if (typeof v !== 'string' || !BASE64.test(v))
        throw cannotDecode(rt, `illegal base64 data at input byte 0 (key ${JSON.stringify(k)})`);
    }
  }
  if (rt.kind === 'Lease') {
    for (const f of ['acquireTime', 'renewTime']) {
      const v = obj.spec?.[f];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || !MICRO_TIME.test(v)) {
        const frac = typeof v === 'string' ? (v.match(/\.\d*.*$/)?.[0] ?? v.slice(19)) : String(v);
        throw cannotDecode(
          rt,
          `parsing time ${JSON.stringify(String(v))} as "2006-01-02T15:04:05.000000Z07:00": cannot parse ${JSON.stringify(frac)} as ".000000"`,
        );
      }
    }
  }
}

function dataKeysAndSize(obj: Obj, fields: string[], base64: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const f of fields) {
    for (const [k, v] of Object.entries((obj[f] ?? {}) as Record<string, unknown>)) {
      if (!CONFIG_KEY.test(k) || k.length > 253)
        errs.push({
          type: 'FieldValueInvalid',
          field: `${f}[${k}]`,
          value: k,
          detail:
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        });
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      size +=
        base64 || f === 'binaryData'
          ? Math.floor((s.length * 3) / 4) - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0)
          : Buffer.byteLength(s);
    }
  }
  if (size > MAX_DATA_BYTES)
    errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `must have at most ${MAX_DATA_BYTES} bytes` });
  return errs;
}

function immutableData(next: Obj, old: Obj | undefined, fields: string[]): FieldError[] {
  if (!old || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true)
    errs.push({
      type: 'FieldValueForbidden',
      field: 'immutable',
      detail: 'field is immutable when `immutable` is set',
    });
  for (const f of fields) {
    if (JSON.stringify(next[f] ?? {}) !== JSON.stringify(old[f] ?? {}))
      errs.push({ type: 'FieldValueForbidden', field: f, detail: 'field is immutable when `immutable` is set' });
  }
  return errs;
}

function selectorMatches(selector: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries((selector?.matchLabels ?? {}) as Record<string, string>))
    if (l[k] !== v) return false;
  for (const e of (selector?.matchExpressions ?? []) as Obj[]) {
    const has = e.key in l;
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export function validateBuiltin(rt: ResourceType, obj: Obj, old: Obj | undefined): FieldError[] {
  if (rt.custom) return [];
  const errs: FieldError[] = [];
  switch (`${rt.group}/${rt.kind}`) {
    case '/ConfigMap':
      errs.push(
        ...dataKeysAndSize(obj, ['data', 'binaryData'], false),
        ...immutableData(obj, old, ['data', 'binaryData']),
      );
      break;
    case '/Secret':
      errs.push(...dataKeysAndSize(obj, ['data'], true), ...immutableData(obj, old, ['data']));
      if (old && (old.type ?? 'Opaque') !== (obj.type ?? 'Opaque'))
        errs.push({ type: 'FieldValueInvalid', field: 'type', value: obj.type, detail: 'field is immutable' });
      if (obj.type === 'kubernetes.io/tls') {
        for (const key of ['tls.crt', 'tls.key'])
          if (!(key in (obj.data ?? {}))) errs.push({ type: 'FieldValueRequired', field: `data[${key}]` });
      }
      break;
    case 'coordination.k8s.io/Lease': {
      const spec = obj.spec ?? {};
      if (
        spec.leaseDurationSeconds !== undefined &&
        spec.leaseDurationSeconds !== null &&
        !(spec.leaseDurationSeconds > 0)
      )
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.leaseDurationSeconds',
          value: spec.leaseDurationSeconds,
          detail: 'must be greater than 0',
        });
      if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null && spec.leaseTransitions < 0)
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.leaseTransitions',
          value: spec.leaseTransitions,
          detail: 'must be greater than or equal to 0',
        });
      if (spec.preferredHolder && !spec.strategy)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'spec.preferredHolder',
          detail: 'can only be set if strategy is set',
        });
      break;
    }
    case 'apps/Deployment': {
      const spec = obj.spec ?? {};
      if (!spec.selector) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
      else if (
        Object.keys(spec.selector.matchLabels ?? {}).length === 0 &&
        (spec.selector.matchExpressions ?? []).length === 0
      )
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.selector',
          value: spec.selector,
          detail: 'empty selector is invalid for deployment',
        });
      else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels))
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.template.metadata.labels',
          value: spec.template?.metadata?.labels ?? {},
          detail: '`selector` does not match template `labels`',
        });
      if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector))
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.selector',
          value: spec.selector,
          detail: 'field is immutable',
        });
      if (typeof spec.replicas === 'number' && spec.replicas < 0)
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.replicas',
          value: spec.replicas,
          detail: 'must be greater than or equal to 0',
        });
      if (!Array.isArray(spec.template?.spec?.containers) || spec.template.spec.containers.length === 0)
        errs.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers' });
      break;
    }
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      const spec = obj.spec ?? {};
      const names = spec.names ?? {};
      if (!spec.group) errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
      if (!names.plural) errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
      if (!names.kind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
      if (!Array.isArray(spec.versions) || spec.versions.length === 0)
        errs.push({ type: 'FieldValueRequired', field: 'spec.versions' });
      else if (spec.versions.filter((v: Obj) => v.storage).length !== 1)
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.versions',
          value: spec.versions.map((v: Obj) => v.name),
          detail: 'must have exactly one version marked as storage version',
        });
      if (!['Namespaced', 'Cluster'].includes(spec.scope))
        errs.push({
          type: 'FieldValueNotSupported',
          field: 'spec.scope',
          value: spec.scope ?? '',
          supported: ['Cluster', 'Namespaced'],
        });
      if (spec.group && names.plural && obj.metadata?.name !== `${names.plural}.${spec.group}`)
        errs.push({
          type: 'FieldValueInvalid',
          field: 'metadata.name',
          value: obj.metadata?.name,
          detail: 'must be spec.names.plural+"."+spec.group',
        });
      break;
    }
  }
  return errs;
}

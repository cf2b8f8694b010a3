// ObjectMeta validation every kind shares (apimachinery api/validation/objectmeta.go): names, labels,
// annotation size, and the rules about finalizers on objects being deleted.
import type { FieldError } from '../encoding/status-errors.js';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../../api/dns-names.js';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** A label or annotation key: an optional RFC 1123 subdomain prefix and `/`, then the name part. */
const QUALIFIED_NAME = new RegExp(
  `^(${DNS1123_SUBDOMAIN.source.slice(1, -1)}/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`,
);
const ANNOTATIONS_MAX = 256 * 1024;

export function validateName(name: unknown, label: boolean): FieldError[] {
  if (typeof name !== 'string' || name === '')
    return [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }];
  if (label) {
    if (name.length > 63 || !DNS1123_LABEL.test(name))
      return [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.name',
          value: name,
          detail: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: name,
        detail: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

export function validateObjectMeta(meta: Record<string, any>, nameIsLabel: boolean): FieldError[] {
  const errs = validateName(meta.name, nameIsLabel);
  for (const [k, v] of Object.entries((meta.labels ?? {}) as Record<string, unknown>)) {
    if (!QUALIFIED_NAME.test(k) || k.length > 316)
      errs.push({
        type: 'FieldValueInvalid',
        field: 'metadata.labels',
        value: k,
        detail:
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'metadata.labels',
        value: v,
        detail:
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      });
  }
  let annotationBytes = 0;
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Record<string, unknown>))
    annotationBytes += k.length + String(v).length;
  if (annotationBytes > ANNOTATIONS_MAX)
    errs.push({
      type: 'FieldValueTooLong',
      field: 'metadata.annotations',
      detail: `must have at most ${ANNOTATIONS_MAX} bytes`,
    });
  return errs;
}

/** Update rules: no new finalizers once deletion started (objectmeta.go:125). */
export function validateMetaUpdate(next: Record<string, any>, old: Record<string, any>): FieldError[] {
  if (!old.metadata?.deletionTimestamp) return [];
  const before = new Set<string>(old.metadata.finalizers ?? []);
  const added = ((next.metadata?.finalizers ?? []) as string[]).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [
    {
      type: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
    },
  ];
}

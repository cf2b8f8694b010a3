// meta.k8s.io/v1 Table responses for `kubectl get`: NAME + printer columns (CRD additionalPrinterColumns,
// or a built-in's usual columns), dates as human ages, rows carrying PartialObjectMetadata.
import { evaluateJsonPath, parseJsonPath } from './jsonpath.js';
import { humanAge } from './human-age.js';

export interface PrinterColumn {
  name: string;
  type: string; // string | integer | number | boolean | date
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
  /** Built-in renderings the real server's Go printers do: a key count, `80/TCP`, `ready/replicas`, 0 default. */
  count?: boolean;
  ports?: boolean;
  ready?: boolean;
  zero?: boolean;
}

type K8sObject = Record<string, any>;

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

export function columnDefinitions(columns: PrinterColumn[]): object[] {
  return [
    NAME_COLUMN,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'string' : c.type,
      format: c.format ?? (c.type === 'date' ? 'date' : ''),
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
}

function cell(column: PrinterColumn, obj: K8sObject, now: number): unknown {
  let values: unknown[];
  try {
    values = evaluateJsonPath(parseJsonPath(column.jsonPath), obj);
  } catch {
    return null;
  }
  const first = values[0];
  if (column.count) return first && typeof first === 'object' ? Object.keys(first).length : 0;
  if (column.ports) {
    if (!Array.isArray(first) || first.length === 0) return '<none>';
    return first.map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
  }
  if (column.ready) return `${first ?? 0}/${obj.spec?.replicas ?? 1}`;
  if (values.length === 0 || first === undefined || first === null)
    return column.zero ? 0 : column.type === 'string' && column.ready ? '' : null;
  switch (column.type) {
    case 'date':
      return humanAge(first, now);
    case 'integer':
    case 'number':
      return typeof first === 'number' ? first : null;
    case 'boolean':
      return typeof first === 'boolean' ? first : null;
    default:
      return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');
  }
}

/** What each row carries besides its cells (`?includeObject=`): kubectl asks for Object to `--sort-by` a field. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function tableRow(
  columns: PrinterColumn[],
  obj: K8sObject,
  now: number,
  include: IncludeObject = 'Metadata',
): object {
  const cells = [obj.metadata?.name ?? '', ...columns.map((c) => cell(c, obj, now))];
  if (include === 'None') return { cells };
  if (include === 'Object') return { cells, object: obj };
  return {
    cells,
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} },
  };
}

export function buildTable(
  columns: PrinterColumn[],
  objects: K8sObject[],
  resourceVersion: string,
  now: number,
  withHeaders = true,
  include: IncludeObject = 'Metadata',
): object {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: withHeaders ? columnDefinitions(columns) : null,
    rows: objects.map((o) => tableRow(columns, o, now, include)),
  };
}

/** True when the Accept header asks for a meta.k8s.io Table (kubectl get's first choice). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.some((p) => p === 'g=meta.k8s.io');
  });
}

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

// Status error bodies exactly as kube-apiserver writes them (apimachinery pkg/api/errors/errors.go).
// Handlers throw ApiError; the router turns it into a JSON response with the same code.

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
  type?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
}

/** How errors name a resource: `configmaps` for core, `mappings.portico.dev` otherwise. */
export interface ResourceName {
  group: string;
  plural: string;
  kind: string;
}

export function qualifiedResource(r: ResourceName): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function qualifiedKind(r: ResourceName): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

export function notFound(r: ResourceName, name: string): ApiError {
  return new ApiError(
    failure(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, {
      name,
      group: r.group || undefined,
      kind: r.plural,
    }),
  );
}

export function alreadyExists(r: ResourceName, name: string): ApiError {
  return new ApiError(
    failure(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, {
      name,
      group: r.group || undefined,
      kind: r.plural,
    }),
  );
}

export function conflict(
  r: ResourceName,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): ApiError {
  return new ApiError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`, {
      name,
      group: r.group || undefined,
      kind: r.plural,
    }),
  );
}

/** A field-level validation error, rendered like field.Error.Error(): `spec.prefix: Required value`. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid';
  field: string;
  /** The detail after the type's label, e.g. `must be specified for an update`. */
  detail?: string;
  /** The offending value, rendered after `Invalid value:`. */
  value?: unknown;
  /** Go's rendering of the value when JSON would differ (e.g. `0x0`). */
  valueText?: string;
  /** field.OmitValueType: no value after the type's label (`Invalid value: <detail>`). */
  omitValue?: boolean;
  supported?: string[];
}

function renderJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The part after `field: `, as field.Error renders it. */
export function fieldErrorBody(e: FieldError): string {
  if (
    e.omitValue &&
    e.type !== 'FieldValueRequired' &&
    e.type !== 'FieldValueForbidden' &&
    e.type !== 'FieldValueTooLong'
  ) {
    const label = {
      FieldValueInvalid: 'Invalid value',
      FieldValueTypeInvalid: 'Invalid value',
      FieldValueNotSupported: 'Unsupported value',
      FieldValueDuplicate: 'Duplicate value',
      FieldValueTooMany: 'Too many',
    }[e.type];
    return e.detail ? `${label}: ${e.detail}` : label;
  }
  const renderValue = (v: unknown) => e.valueText ?? renderJson(v);
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? ''}`.trimEnd();
    case 'FieldValueTooMany':
      return `Too many: ${e.detail ?? ''}`.trimEnd();
    case 'FieldValueDuplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueNotSupported': {
      const sup = (e.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${renderValue(e.value)}${sup ? `: supported values: ${sup}` : ''}`;
    }
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** 422 Invalid: `Mapping.portico.dev "x" is invalid: spec.prefix: Required value`. */
export function invalid(r: ResourceName, name: string, errors: FieldError[]): ApiError {
  const rendered = errors.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const joined = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  return new ApiError(
    failure(422, 'Invalid', `${qualifiedKind(r)} "${name}" is invalid: ${joined}`, {
      name,
      group: r.group || undefined,
      kind: r.kind,
      causes,
    }),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
  );
}

export function pathNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
}

export function forbidden(r: ResourceName, name: string, why: string): ApiError {
  return new ApiError(
    failure(403, 'Forbidden', `${qualifiedResource(r)} "${name}" is forbidden: ${why}`, {
      name,
      group: r.group || undefined,
      kind: r.plural,
    }),
  );
}

export function expired(message: string): StatusBody {
  return failure(410, 'Expired', message);
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
}

export function successStatus(r: ResourceName, name: string, uid: string): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: r.group || undefined, kind: r.plural, uid },
    code: 200,
  };
}

// The options of a write, read from the request: the field manager (the fieldManager parameter, else the
// client's User-Agent up to its first '/', as kube-apiserver does), fieldValidation, dryRun and the subresource.
import type { IncomingMessage } from 'node:http';
import { parseFieldValidation } from '../admission/admission.js';
import { badRequest } from '../encoding/status-errors.js';
import type { WriteOptions } from '../writes/object-writes.js';

function managerFor(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  return String(req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
}

export function writeOptions(req: IncomingMessage, query: URLSearchParams, subresource?: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All'))
    throw badRequest(`dryRun: Unsupported value: "${dryRun.find((d) => d !== 'All')}": supported values: "All"`);
  return {
    manager: managerFor(req, query),
    fieldValidation: parseFieldValidation(query.get('fieldValidation')),
    dryRun: dryRun.length > 0,
    subresource: subresource === 'status' ? 'status' : undefined,
  };
}

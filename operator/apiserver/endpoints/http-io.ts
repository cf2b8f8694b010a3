// Small HTTP plumbing shared by the handlers: JSON responses, Status errors, request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import yaml from 'js-yaml';
import { ApiError, badRequest, internalError } from '../encoding/status-errors.js';
import { MAX_NESTING_DEPTH, nestingDepth } from '../storage/storage-limits.js';

const MAX_BODY_BYTES = 3 * 1024 * 1024; // the real server's request size limit

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const apiErr = err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, apiErr.code, apiErr.status, apiErr.headers);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a JSON (or YAML) request body; a parse error is a 400 like the real decoder's. Nesting is limited to
 * MAX_NESTING_DEPTH (kube-apiserver: 10 000, "exceeded max depth"): deeper objects would overflow the stack of
 * the recursive code every write goes through (copies, patches, managedFields).
 */
export function decodeBody(text: string, contentType: string | undefined): unknown {
  const mt = mediaType(contentType);
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    if (mt === 'application/yaml' || mt === 'application/apply-patch+yaml') value = yaml.load(text, { schema: yaml.JSON_SCHEMA, maxDepth: MAX_NESTING_DEPTH } as yaml.LoadOptions);
    else value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message.split('\n')[0]}`);
  }
  if (nestingDepth(value) > MAX_NESTING_DEPTH) throw badRequest(`couldn't get version/kind; json parse error: exceeded max depth (${MAX_NESTING_DEPTH}, the embedded API server's limit)`);
  return value;
}

export function warningHeaders(warnings: string[]): Record<string, string[]> {
  return warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

// JSON and YAML request bodies into objects, as the real decoder reads them (protobuf is protobuf-decoding.ts).
import yaml from 'js-yaml';
import { MAX_NESTING_DEPTH, nestingDepth } from './nesting-depth.js';
import { badRequest } from './status-errors.js';

/** The media type of a Content-Type header, lower-cased and without parameters ('' when there is none). */
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
    if (mt === 'application/yaml' || mt === 'application/apply-patch+yaml')
      value = yaml.load(text, { schema: yaml.JSON_SCHEMA, maxDepth: MAX_NESTING_DEPTH } as yaml.LoadOptions);
    else value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message.split('\n')[0]}`);
  }
  if (nestingDepth(value) > MAX_NESTING_DEPTH)
    throw badRequest(
      `couldn't get version/kind; json parse error: exceeded max depth (${MAX_NESTING_DEPTH}, the embedded API server's limit)`,
    );
  return value;
}

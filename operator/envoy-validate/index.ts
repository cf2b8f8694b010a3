// Strict validation of an Envoy v3 configuration (proto3 JSON) against Envoy's own .proto files:
// unknown fields, wrong JSON types, oneof conflicts, unresolvable Any types, well-known type formats and
// the protoc-gen-validate rules. The proto Root is loaded once, lazily (see proto-root.ts).
//
// Files: proto-root.ts (which .proto files, loading, exact type lookup), message-schema.ts (per-message
// field tables, built once per type), pgv-rules.ts (PGV options → checks; lists what is skipped),
// json-scalars.ts (proto3 JSON forms of scalars and well-known types), json-walker.ts (the walk + paths).
// Cost (measured on a dev box, see test/envoy-validate/measure-validation.ts): ~0.7 s to load ~290 files
// on first use; then ~80 ms for 10k routes (9 MB JSON) and ~0.5 s for 50k routes (44 MB).
import { envoyProtoRoot, lookupMessageType, protoLoadStats } from './proto-root.js';
import { JsonProtoWalker, type ValidationIssue } from './json-walker.js';

export type { ValidationIssue } from './json-walker.js';
export { protoLoadStats };

export const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';

export interface ValidationReport {
  errors: ValidationIssue[];
  /** Not errors for Envoy by default: use of deprecated fields and enum values. */
  warnings: ValidationIssue[];
}

/** Validates `json` as the message `typeName` (full name, e.g. "envoy.config.route.v3.RouteConfiguration"). */
export function validateMessage(typeName: string, json: unknown): ValidationReport {
  const root = envoyProtoRoot();
  const type = lookupMessageType(root, typeName);
  if (!type) throw new Error(`unknown message type ${typeName}`);
  const walker = new JsonProtoWalker(root);
  walker.message(type, json);
  return { errors: walker.errors, warnings: walker.warnings };
}

/** Empty array = valid. Deprecation warnings are not included (see validateMessage). */
export function validateEnvoyBootstrap(config: unknown): ValidationIssue[] {
  return validateMessage(BOOTSTRAP_TYPE, config).errors;
}

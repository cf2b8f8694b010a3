// Structured JSON logs for the operator. Every log line that is about a Kubernetes object carries an object
// reference ({kind, namespace, name}), never the object itself, and a format strips anything that looks like
// Secret data, so a private key can never reach a log line even by mistake.
import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEYS = new Set(['data', 'stringData', 'certFiles', 'privateKey', 'tls.key']);
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/** Deep copy of a log payload without Secret-shaped fields and with PEM private keys blanked. */
export function redactSecretData(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return value.replace(PEM_PRIVATE_KEY, '[redacted private key]');
  if (Array.isArray(value)) return value.map((v) => redactSecretData(v, depth + 1));
  if (value instanceof Error) return { message: redactSecretData(value.message, depth + 1), name: value.name };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEYS.has(k) ? '[redacted]' : redactSecretData(v, depth + 1);
    return out;
  }
  return value;
}

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.has(key)) info[key] = '[redacted]';
    else info[key] = redactSecretData(info[key]);
  }
  return info;
});

export interface LoggerOptions {
  /** error | warn | info | debug, or silent. */
  level?: string;
  /** Extra fields on every line, e.g. the operator identity. */
  defaultMeta?: Record<string, unknown>;
  /** Where to write (default stdout); tests pass a stream to capture lines. */
  stream?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const silent = level === 'silent';
  const transport = opts.stream
    ? new winston.transports.Stream({ stream: opts.stream })
    : new winston.transports.Stream({ stream: process.stdout });
  return winston.createLogger({
    level: silent ? 'error' : level,
    silent,
    defaultMeta: opts.defaultMeta,
    format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}

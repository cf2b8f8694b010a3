// What /portico/v1/config leaves out of the Envoy config it serves: secret material, found by what a field is,
// at any depth. The config Portico renders references certificates and keys by file path (the files come from
// the portico-certs Secret), so normally nothing is removed; but any Envoy DataSource that would carry a key or
// a secret inline (`private_key`, a PKCS#12 bundle and its password, session ticket keys, HMAC/OAuth secrets,
// an SDS generic secret) has its inline value replaced, and a PEM private key is blanked in any string. Paths
// (`filename`) and environment variable names stay visible: they say where a secret is, not what it is.
// The walk is iterative, so a config of any depth is served whole. Mutates and returns `config`, which is a
// fresh JSON.parse of the stored config.

/** Envoy fields whose value is secret material (a DataSource, a list of them, or a plain string). */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'private_key',
  'pkcs12',
  'password',
  'session_ticket_keys',
  'hmac_secret',
  'token_secret',
  'client_secret',
  'secret', // GenericSecret.secret
]);

/** The DataSource members that hold the material itself. */
const INLINE = new Set(['inline_string', 'inline_bytes']);

export const REDACTED = '[redacted]';
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function redactEnvoyConfig<T>(config: T): T {
  // Each stack entry is a container plus whether it sits inside a secret field.
  const stack: Array<{ node: Json[] | { [key: string]: Json }; secret: boolean }> = [];
  const visit = (parent: Json[] | { [key: string]: Json }, key: string | number, secret: boolean): void => {
    const value = (parent as Record<string | number, Json>)[key];
    if (typeof value === 'string') {
      if (secret && (typeof key === 'number' || INLINE.has(key) || SECRET_FIELDS.has(key)))
        (parent as Record<string | number, Json>)[key] = REDACTED;
      else if (value.includes('PRIVATE KEY-----'))
        (parent as Record<string | number, Json>)[key] = value.replace(PEM_PRIVATE_KEY, '[redacted private key]');
    } else if (value !== null && typeof value === 'object') {
      stack.push({ node: value, secret });
    }
  };
  if (config === null || typeof config !== 'object') return config;
  stack.push({ node: config as unknown as { [key: string]: Json }, secret: false });
  while (stack.length > 0) {
    const { node, secret } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) visit(node, i, secret);
    } else {
      for (const key of Object.keys(node)) visit(node, key, secret || SECRET_FIELDS.has(key));
    }
  }
  return config;
}

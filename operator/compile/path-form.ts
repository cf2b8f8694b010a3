// Is a Mapping path (spec.prefix, spec.rewrite) in the normal form Envoy routes on? Envoy normalises every
// request path first (normalize_path: RFC 3986 percent-decoding of unreserved characters and removal of . and
// .. segments; merge_slashes), so a prefix outside that form could never match, and a rewrite with dot
// segments would hand the backend a path to re-interpret. Returns why not, or undefined. Linear in the length.

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** A whole "." or ".." segment (one regex test, no allocation: this runs for every Mapping). */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** `what` is "prefix" (matched against requests) or "rewrite" (sent upstream). */
export function pathFormProblem(path: string, what: 'prefix' | 'rewrite'): string | undefined {
  if (path.includes('//')) return 'must not contain "//" (Envoy merges slashes before matching)';
  if (DOT_SEGMENT.test(path)) return 'must not contain "." or ".." path segments (Envoy removes them from requests before matching)';
  if (what === 'rewrite') return undefined;
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `has "%" at offset ${i} without two hex digits after it`;
    const char = String.fromCharCode(parseInt(hex, 16));
    if (UNRESERVED.test(char)) return `must not percent-encode the unreserved character ${JSON.stringify(char)} (%${hex}): Envoy decodes it before matching, so write ${JSON.stringify(char)}`;
    if (hex !== hex.toUpperCase()) return `must write percent-encodings in uppercase (%${hex.toUpperCase()}, not %${hex}), as Envoy normalises them`;
  }
  return undefined;
}
